/**
 * The consistency check on what the rest of the suite does not reach: action parameter types,
 * bindings, and what the Context's Juju version could produce. Each refusal names the field.
 */
import { fileURLToPath } from 'node:url';
import { Charm, type Framework } from '@charm-ts/ops';
import { describe, expect, it } from 'vitest';
import { InconsistentStateError } from '../errors.ts';
import { container, secret, state } from '../state/builders.ts';
import { Context } from './context.ts';
import { TwoContainersCharm } from './fixtures/two-containers/charm.ts';
import { defaultNetwork } from './world-build.ts';

const charmDir = fileURLToPath(new URL('./fixtures/two-containers', import.meta.url));
const at = (jujuVersion: string) => new Context(TwoContainersCharm, { charmDir, jujuVersion });
const ctx = at('3.6.4');
const redis = container({
  name: 'redis',
  layers: { base: { checks: { up: { override: 'replace', exec: { command: 'true' } } } } },
});

async function refusal(run: () => Promise<unknown>): Promise<InconsistentStateError> {
  const error = await run().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InconsistentStateError);
  return error as InconsistentStateError;
}

describe('consistency: action parameters', () => {
  it('refuses a parameter of the wrong type, naming it and the type declared', async () => {
    const error = await refusal(() => ctx.run(ctx.on.action('ping', { target: 7 }), state()));
    expect(error.field).toBe('event.params.target');
    expect(error.message).toBe(
      `event.params.target: parameter "target" must be string, got 7 of action 'ping'`,
    );
  });
});

describe('consistency: bindings', () => {
  it('refuses a network for a binding the charm does not have', async () => {
    const error = await refusal(() =>
      ctx.run(ctx.on.start(), state({ networks: { public: defaultNetwork() } })),
    );
    expect(error.field).toBe('state.networks.public');
    expect(error.message).toContain('bindings: website, cluster, juju-info');
  });

  it('takes an endpoint and juju-info, the binding every charm has', async () => {
    const networks = { website: defaultNetwork(), 'juju-info': defaultNetwork() };
    await expect(ctx.run(ctx.on.start(), state({ networks }))).resolves.toBeDefined();
  });

  it('network-get of a binding the charm does not declare fails as in Juju', async () => {
    class Asking extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.start(async () => {
          await this.model.binding('nope').network();
        });
      }
    }
    const asking = new Context(Asking, { meta: await ctx.meta() });
    const error = await asking.run(asking.on.start(), state()).catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain(
      'no network config found for binding "nope"',
    );
  });
});

describe('consistency: what the Juju version could produce', () => {
  const cases: Array<[string, () => Promise<unknown>, string, string]> = [
    [
      'a custom notice before Juju 3.4',
      () => {
        const c = at('3.3.9');
        return c.run(
          c.on.pebbleCustomNotice(redis, { key: 'x.com/k' }),
          state({ containers: [redis] }),
        );
      },
      'event',
      'redis-pebble-custom-notice is sent by Juju 3.4 or later; the Context runs Juju 3.3.9 (ContextOptions.jujuVersion)',
    ],
    [
      'a check event before Juju 3.6',
      () => {
        const c = at('3.5.7');
        return c.run(c.on.pebbleCheckFailed(redis, 'up'), state({ containers: [redis] }));
      },
      'event',
      'redis-pebble-check-failed is sent by Juju 3.6 or later; the Context runs Juju 3.5.7 (ContextOptions.jujuVersion)',
    ],
    [
      'a secret before Juju 3.0.3',
      () => at('2.9.50').run(ctx.on.start(), state({ secrets: [secret({ content: { a: 'b' } })] })),
      'state.secrets[0]',
      'secrets need Juju 3.0.3 or later; the Context runs Juju 2.9.50 (ContextOptions.jujuVersion)',
    ],
    [
      'a secret event before Juju 3.0.3',
      () => {
        const s = secret({ content: { a: 'b' } });
        return at('3.0.2').run(ctx.on.secretChanged(s), state({ secrets: [s] }));
      },
      'event',
      'secret-changed is sent by Juju 3.0.3 or later; the Context runs Juju 3.0.2 (ContextOptions.jujuVersion)',
    ],
    [
      'leader-settings-changed on Juju 4',
      () => at('4.0.0').run(ctx.on.leaderSettingsChanged(), state()),
      'event',
      'leader-settings-changed is sent by a Juju before 4.0; the Context runs Juju 4.0.0 (ContextOptions.jujuVersion)',
    ],
    [
      'opened ports on Kubernetes before Juju 3.0.3',
      () =>
        at('3.0.0').run(ctx.on.start(), state({ openedPorts: [{ protocol: 'tcp', port: 80 }] })),
      'state.openedPorts',
      'ports on a Kubernetes model need Juju 3.0.3 or later; the Context runs Juju 3.0.0 (ContextOptions.jujuVersion)',
    ],
  ];
  for (const [what, run, field, message] of cases) {
    it(`refuses ${what}, naming ${field}`, async () => {
      const error = await refusal(run);
      expect(error.field).toBe(field);
      expect(error.message).toBe(`${field}: ${message}`);
    });
  }

  it('takes them on a Juju that has them', async () => {
    const c = at('3.6.0');
    await expect(
      c.run(c.on.pebbleCheckFailed(redis, 'up'), state({ containers: [redis] })),
    ).resolves.toBeDefined();
  });
});
