// IngressRequirer, a library with events of its own (issue 19), used by charms through its
// `ready` / `revoked` observers and its state only, run through the real dispatcher with the
// in-memory hook tools. The bags it writes are the wire functions', proven against
// charms.traefik_k8s.v2.ingress in library.test.ts; end to end, charms/hello-kubecon/e2e.
import { Charm, type Framework, FrameworkError } from '@charm-ts/ops';
import { Context, container, relation, state, status } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { CHARM_DIR, IngressCharm, LateIngressCharm } from '../../test/charm/charms.ts';
import { IngressRequirer } from './requirer-library.ts';

const ctx = new Context(IngressCharm, { charmDir: CHARM_DIR });
const URL = 'http://traefik.example/test-model-relations-demo';
const NS = 'ingress-requirer[ingress]';
const APP_BAG = {
  model: '"test-model"',
  name: '"relations-demo"',
  port: '8080',
  'strip-prefix': 'true',
};
const UNIT_BAG = {
  host: '"relations-demo-0.relations-demo-endpoints.test-model.svc.cluster.local"',
  ip: '"192.0.2.0"',
};

const ingress = (remoteAppData: Record<string, string> = {}) =>
  relation({ endpoint: 'ingress', remoteApp: 'traefik', remoteAppData, id: 7 });
const granted = (url = URL) => ingress({ ingress: JSON.stringify({ url }) });
const web = (canConnect = true) => container({ name: 'web', canConnect });
const relationSets = () => ctx.hookToolCalls.filter((c) => c.tool === 'relation-set');
const messages = () => ctx.jujuLog.map((l) => l.message);

describe('IngressRequirer', () => {
  it('publishes the bags the ingress v2 library writes, once', async () => {
    const out = await ctx.run(
      ctx.on.relationJoined(ingress()),
      state({ leader: true, relations: [ingress()], containers: [web()] }),
    );
    expect(out.relations[0]?.localAppData).toEqual(APP_BAG);
    expect(out.relations[0]?.localUnitData).toEqual(UNIT_BAG);
    expect(relationSets()).toHaveLength(2);
    expect(out.unitStatus).toEqual(status.waiting('no ingress'));
    await ctx.run(ctx.on.relationJoined(ingress()), out);
    expect(relationSets()).toEqual([]);
  });

  it('writes is_port_open when the port is open, as the library asks opened-ports', async () => {
    const out = await ctx.run(
      ctx.on.leaderElected(),
      state({
        leader: true,
        relations: [ingress()],
        openedPorts: [{ protocol: 'tcp', port: 8080 }],
      }),
    );
    expect(out.relations[0]?.localAppData).toEqual({ ...APP_BAG, is_port_open: 'true' });
  });

  it('a non-leader publishes only its unit bag', async () => {
    const out = await ctx.run(
      ctx.on.relationJoined(ingress()),
      state({ leader: false, relations: [ingress()], containers: [web()] }),
    );
    expect(out.relations[0]?.localAppData).toEqual({});
    expect(out.relations[0]?.localUnitData).toEqual(UNIT_BAG);
  });

  it('emits ready with the URL once; the charm observes it; its state is namespaced', async () => {
    const first = await ctx.run(
      ctx.on.relationChanged(granted()),
      state({ leader: true, relations: [granted()], containers: [web()] }),
    );
    expect(first.unitStatus).toEqual(status.active(`at ${URL}`));
    expect(first.storedState).toEqual({
      url: URL,
      readyEvents: 1,
      commits: 1,
      [NS]: { currentUrl: URL, problem: null },
    });
    expect(messages()).toContain(`ingress ready at ${URL} (relation 7)`);
    // The same answer again: nothing new.
    const again = await ctx.run(ctx.on.relationChanged(granted()), first);
    expect(again.storedState).toMatchObject({ readyEvents: 1, commits: 2 });
    // A new URL is news.
    const moved = `${URL}-2`;
    const next = await ctx.run(ctx.on.relationChanged(granted(moved)), {
      ...again,
      relations: [granted(moved)],
    });
    expect(next.storedState).toMatchObject({ url: moved, readyEvents: 2 });
  });

  it('emits revoked when the relation is broken, and writes nothing then', async () => {
    const ready = await ctx.run(
      ctx.on.relationChanged(granted()),
      state({ leader: true, relations: [granted()], containers: [web()] }),
    );
    const out = await ctx.run(ctx.on.relationBroken(granted()), ready);
    expect(out.storedState).toMatchObject({ url: '', [NS]: { currentUrl: null, problem: null } });
    expect(out.unitStatus).toEqual(status.waiting('no ingress'));
    expect(messages()).toContain('ingress revoked (relation 7)');
    expect(relationSets()).toEqual([]);
  });

  it('after an upgrade from a revision without the library, the granted URL is its URL, with no ready', async () => {
    const out = await ctx.run(
      ctx.on.upgradeCharm(),
      state({ leader: true, relations: [granted()], containers: [web()] }),
    );
    expect(out.storedState).toMatchObject({ readyEvents: 0, [NS]: { currentUrl: URL } });
    // A URL already stored is left alone (only relation-changed brings a new one).
    const moved = granted('http://traefik.example/moved');
    const again = await ctx.run(ctx.on.upgradeCharm(), { ...out, relations: [moved] });
    expect(again.storedState).toMatchObject({ [NS]: { currentUrl: URL } });
  });

  it('a deferred ready comes back to its observer, with its relation, on the next dispatch', async () => {
    const deferredRun = await ctx.run(
      ctx.on.relationChanged(granted()),
      state({ leader: true, relations: [granted()], containers: [web(false)] }),
    );
    expect(deferredRun.deferred).toEqual([
      {
        event: `${NS}/ready`,
        // The charm observes with an arrow function: its observer is named by the handler's hash.
        observer: expect.stringMatching(/^ingress-requirer\[ingress\]\/ready#~[0-9a-f]{8}$/),
        data: { relation: { $relation: 'ingress:7' }, url: URL },
      },
    ]);
    // The library saw the URL (its state moved on); the charm has not handled it yet.
    expect(deferredRun.storedState).toMatchObject({ url: '', [NS]: { currentUrl: URL } });
    const out = await ctx.run(ctx.on.updateStatus(), { ...deferredRun, containers: [web()] });
    expect(out.deferred).toEqual([]);
    expect(out.storedState).toMatchObject({ url: URL, readyEvents: 1 });
    expect(messages()).toContain(`ingress ready at ${URL} (relation 7, redelivered)`);
  });

  it('an answer it cannot read: no event, one warning and its state name the relation, bag and key', async () => {
    const bad = ingress({ ingress: '{"url": "ftp://gw/x"}' });
    const problem =
      'relation ingress:7 remote-app bag (traefik): key \'ingress.url\': must be an http or https URL with a host, not "ftp://gw/x"';
    const out = await ctx.run(
      ctx.on.relationChanged(bad),
      state({ leader: true, relations: [bad], containers: [web()] }),
    );
    expect(out.storedState).toMatchObject({ readyEvents: 0, [NS]: { problem } });
    expect(out.unitStatus).toEqual(status.blocked(problem));
    expect(ctx.jujuLog.filter((l) => l.level === 'WARNING')).toEqual([
      { level: 'WARNING', message: `ingress not ready: ${problem}` },
    ]);
    // The same problem is not logged again; a readable answer clears it.
    await ctx.run(ctx.on.relationChanged(bad), out);
    expect(ctx.jujuLog.filter((l) => l.level === 'WARNING')).toEqual([]);
    const fixed = await ctx.run(ctx.on.relationChanged(granted()), {
      ...out,
      relations: [granted()],
    });
    expect(fixed.unitStatus).toEqual(status.active(`at ${URL}`));
  });

  it('reads "not ready yet" (no bag, ingress: null) as the library does: no event, no problem', async () => {
    const bags: Record<string, string>[] = [
      {},
      { ingress: 'null' },
      { other: 'not json, not read' },
    ];
    for (const remoteAppData of bags) {
      const rel = ingress(remoteAppData);
      const out = await ctx.run(
        ctx.on.relationChanged(rel),
        state({ leader: true, relations: [rel], containers: [web()] }),
      );
      expect(out.storedState).toMatchObject({ readyEvents: 0, [NS]: { problem: null } });
    }
  });

  it('without a port, publishes nothing until the charm provides it', async () => {
    const late = new Context(LateIngressCharm, { charmDir: CHARM_DIR });
    const joined = await late.run(
      late.on.relationJoined(ingress()),
      state({ leader: true, relations: [ingress()] }),
    );
    expect(joined.relations[0]?.localAppData).toEqual({});
    const out = await late.run(late.on.configChanged(), joined);
    expect(out.relations[0]?.localAppData).toEqual({
      model: '"test-model"',
      name: '"relations-demo"',
      port: '9000',
      scheme: '"https"',
    });
    expect(out.relations[0]?.localUnitData).toEqual(UNIT_BAG);
  });

  it('refuses a second requirer on the same endpoint, and an endpoint the charm lacks', async () => {
    class Twice extends Charm {
      constructor(framework: Framework) {
        super(framework);
        new IngressRequirer(this);
        new IngressRequirer(this);
      }
    }
    class Elsewhere extends Charm {
      constructor(framework: Framework) {
        super(framework);
        new IngressRequirer(this, { endpoint: 'web' });
      }
    }
    for (const [charm, message] of [
      [Twice, "two objects claim the namespace 'ingress-requirer[ingress]'"],
      [Elsewhere, "no endpoint 'web' in charmcraft.yaml"],
    ] as const) {
      const run = new Context(charm, { charmDir: CHARM_DIR }).run(
        ctx.on.install(),
        state({ relations: [] }),
      );
      await expect(run).rejects.toThrow(message);
      await run.catch((error: { cause?: unknown }) =>
        expect(error.cause ?? error).toBeInstanceOf(FrameworkError),
      );
    }
  });
});
