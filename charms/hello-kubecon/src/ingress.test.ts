import { Context, relation, type State, status } from '@charm-ts/testing';
import { describe, expect, it } from 'vitest';
import { charmFixtures } from '../test/charm-fixtures.ts';
import { HelloKubeconCharm } from './hello-kubecon.ts';

const ctx = new Context(HelloKubeconCharm);
const fx = charmFixtures();
const ingress = (
  spec: { remoteAppData?: Record<string, string>; localAppData?: Record<string, string> } = {},
) => relation({ endpoint: 'ingress', remoteApp: 'traefik', ...spec });
const relationSets = () => ctx.hookToolCalls.filter((c) => c.tool === 'relation-set');

/** The app bag `IngressPerAppRequirer(port=8080, strip_prefix=True)` writes once 8080 is open. */
const APP_BAG = {
  model: '"test-model"',
  name: '"hello-kubecon"',
  port: '8080',
  is_port_open: 'true',
  'strip-prefix': 'true',
};
const UNIT_BAG = {
  host: '"hello-kubecon-0.hello-kubecon-endpoints.test-model.svc.cluster.local"',
  ip: '"192.0.2.0"',
};

/** A unit that has its site and gosherve running, related to traefik. */
async function related(rel = ingress(), spec: Partial<State> = {}): Promise<State> {
  const out = await ctx.run(ctx.on.install(), fx.base({ relations: [rel], ...spec }));
  return out;
}

describe('ingress v2 requirer', () => {
  it('writes the bags the traefik library writes: defaults left out, once', async () => {
    const rel = ingress();
    const out = await related(rel);
    const [r] = out.relations;
    expect(r?.localAppData).toEqual(APP_BAG);
    expect(r?.localUnitData).toEqual(UNIT_BAG);
    expect(relationSets()).toHaveLength(2);
    const again = await ctx.run(ctx.on.relationJoined(rel), out);
    expect(relationSets()).toEqual([]);
    expect(again.relations[0]).toEqual(r);
  });

  it('writes is_port_open only once the port is open, as the library does', async () => {
    const rel = ingress();
    const out = await ctx.run(
      ctx.on.relationJoined(rel),
      fx.base({ relations: [rel], storages: [] }),
    );
    expect(out.openedPorts).toEqual([]);
    expect(out.relations[0]?.localAppData).toEqual({
      model: '"test-model"',
      name: '"hello-kubecon"',
      port: '8080',
      'strip-prefix': 'true',
    });
  });

  it("writes the bag whole: what the original's ingress v1 left is removed", async () => {
    // What IngressPerAppRequirer v1 wrote for the original charm, in plain strings.
    const v1 = {
      model: 'test-model',
      name: 'hello-kubecon',
      host: 'hello-kubecon-endpoints.test-model.svc.cluster.local',
      port: '8080',
      'strip-prefix': 'true',
    };
    const out = await related(ingress({ localAppData: v1 }));
    expect(out.relations[0]?.localAppData).toEqual(APP_BAG);
    // One relation-set for the app bag: the changed values, and v1's host deleted.
    const appSets = relationSets().filter((c) => c.args[2] === true);
    expect(appSets.map((c) => c.args[1])).toEqual([
      {
        model: '"test-model"',
        name: '"hello-kubecon"',
        is_port_open: 'true',
        host: '',
      },
    ]);
  });

  it('a non-leader writes only its unit bag', async () => {
    const out = await related(ingress(), { leader: false });
    expect(out.relations[0]?.localAppData).toEqual({});
    expect(out.relations[0]?.localUnitData).toEqual(UNIT_BAG);
  });

  it('writes no ip when Juju gives no address, as the library does', async () => {
    const network = { bindAddresses: [], egressSubnets: [], ingressAddresses: [] };
    const out = await related(ingress(), { networks: { ingress: network } });
    expect(out.relations[0]?.localUnitData).toEqual({ host: UNIT_BAG.host });
  });

  it("shows the URL traefik answers, from the library's ready event and state", async () => {
    const rel = ingress({
      remoteAppData: { ingress: '{"url": "http://gw.example/test-model-hello-kubecon"}' },
    });
    const out = await ctx.run(ctx.on.relationChanged(rel), await related(rel));
    expect(out.unitStatus).toEqual(
      status.active('ingress at http://gw.example/test-model-hello-kubecon'),
    );
    expect(ctx.jujuLog).toContainEqual({
      level: 'INFO',
      message: 'ingress ready at http://gw.example/test-model-hello-kubecon',
    });
    // Every later hook shows it from the library's stored state, without reading the bag.
    const later = await ctx.run(ctx.on.updateStatus(), out);
    expect(later.unitStatus).toEqual(out.unitStatus);
    expect(ctx.hookToolCalls.filter((c) => c.tool === 'relation-get')).toEqual([]);
    const broken = await ctx.run(ctx.on.relationBroken(rel), later);
    expect(broken.unitStatus).toEqual(status.active(''));
    expect(ctx.jujuLog).toContainEqual({ level: 'INFO', message: 'ingress revoked' });
  });

  it('reads ingress: null and an empty bag as "not ready yet", not an error', async () => {
    const bags: Record<string, string>[] = [{ ingress: 'null' }, {}];
    for (const remoteAppData of bags) {
      const rel = ingress({ remoteAppData });
      const out = await related(rel);
      expect(out.unitStatus).toEqual(status.active(''));
    }
  });

  it('says so when the answer is unreadable, naming the relation, the bag and the key', async () => {
    const rel = ingress({ remoteAppData: { ingress: '{"url": "ftp://gw/x"}' } });
    const out = await ctx.run(ctx.on.relationChanged(rel), await related(rel));
    expect(out.unitStatus.status).toBe('active');
    expect(out.unitStatus.message).toBe(
      `ingress answer unreadable: relation ingress:${rel.id} remote-app bag (traefik): key 'ingress.url': must be an http or https URL with a host, not "ftp://gw/x"`,
    );
  });

  it('writes nothing and shows no URL on relation-broken', async () => {
    const rel = ingress({ remoteAppData: { ingress: '{"url": "http://gw/x"}' } });
    const out = await ctx.run(ctx.on.relationBroken(rel), await related(rel));
    expect(relationSets()).toEqual([]);
    expect(out.unitStatus).toEqual(status.active(''));
  });
});
