/**
 * The testing benchmark's scenarios with @charm-ts/testing: the same five tests as
 * scenarios.py, each asserting what the Python one asserts. `runScenarios(n)` returns the
 * median milliseconds per test over `n` runs (after one warm-up run that checks the asserts).
 * @module
 */
import { strict as assert } from 'node:assert';
import { Context, container, relation, state, status } from '@charm-ts/testing';
// The testing library's own fixture charm: one copy, the twin of charm.py.
import { TwoContainersCharm } from '../../packages/testing/src/context/fixtures/two-containers/charm.ts';

export function makeTests(charmDir: string): Record<string, () => Promise<void>> {
  const ctx = new Context(TwoContainersCharm, { charmDir });
  const up = (name: string) => container({ name });
  const down = (name: string) => container({ name, canConnect: false });
  return {
    'waits for redis': async () => {
      const out = await ctx.run(
        ctx.on.configChanged(),
        state({ containers: [down('redis'), up('web')] }),
      );
      assert.deepEqual(out.unitStatus, status.waiting('waiting for the redis container'));
    },
    'starts redis, waits for web': async () => {
      const out = await ctx.run(
        ctx.on.pebbleReady(up('redis')),
        state({ containers: [up('redis'), down('web')] }),
      );
      assert.equal(out.containers[0]?.serviceStatuses.redis, 'active');
      assert.deepEqual(out.unitStatus, status.waiting('waiting for the web container'));
    },
    'runs both (pebble-ready)': async () => {
      const input = state({ config: { port: 8080 }, containers: [up('redis'), up('web')] });
      const out = await ctx.run(ctx.on.pebbleReady(up('web')), input);
      assert.equal(out.containers[1]?.plan.services.web?.command, 'web --port 8080');
      assert.deepEqual(out.unitStatus, status.active());
      assert.equal(out.workloadVersion, '7.2');
    },
    'shares website data (leader)': async () => {
      const website = relation({ endpoint: 'website', remoteApp: 'proxy' });
      const input = state({
        leader: true,
        relations: [website],
        containers: [down('redis'), down('web')],
      });
      const out = await ctx.run(ctx.on.relationChanged(website, { remoteUnit: 0 }), input);
      assert.deepEqual(out.relations[0]?.localAppData, { port: '5000' });
    },
    'ping action (exec)': async () => {
      const redis = container({ name: 'redis', execs: { 'redis-cli ping': { stdout: 'PONG\n' } } });
      await ctx.run(
        ctx.on.action('ping', { target: 'redis' }),
        state({ containers: [redis, up('web')] }),
      );
      assert.deepEqual(ctx.action?.results, { reply: 'PONG' });
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median ms per test over `iterations` runs. */
export async function runScenarios(
  charmDir: string,
  iterations: number,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, test] of Object.entries(makeTests(charmDir))) {
    await test();
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await test();
      times.push(performance.now() - start);
    }
    out[name] = median(times);
  }
  return out;
}
