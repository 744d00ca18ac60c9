import { describe, expect, it } from 'vitest';
import { Charm } from '../charm.ts';
import { parseCharmcraft } from '../charmcraft/parse.ts';
import { dispatch } from '../dispatch.ts';
import {
  FrameworkError,
  HookToolError,
  ModelError,
  RelationDataAccessError,
  RelationDataTypeError,
  SecretNotFoundError,
} from '../errors.ts';
import type { CharmEvent } from '../events.ts';
import type { Framework } from '../framework.ts';
import { processHookTools } from '../hook-tools/process.ts';
import { JujuVersion } from '../juju-version.ts';
import { Status } from '../status.ts';

const meta = parseCharmcraft(
  `name: demo
summary: s
description: d
base: ubuntu@22.04
platforms: {amd64: }
containers: {redis: {resource: img}}
resources: {img: {type: oci-image}}
requires: {db: {interface: pg}}
peers: {cluster: {interface: demo}}
storage: {data: {type: filesystem}}
`,
  'charmcraft.yaml',
);

type Answer = string | ((argv: readonly string[]) => string);

/** Runs `body` inside a hook (default install) against scripted tool answers. */
async function inHook(
  body: (charm: Charm, event: CharmEvent) => Promise<void> | void,
  answers: Record<string, Answer> = {},
  env: Record<string, string> = {},
  hook = 'install',
) {
  const calls: string[][] = [];
  const tools = processHookTools(async (argv) => {
    calls.push([...argv]);
    const a = answers[argv[0] as string];
    if (a === undefined) return '';
    return typeof a === 'function' ? a(argv) : a;
  });
  class C extends Charm {
    constructor(fw: Framework) {
      super(fw);
      const handler = (e: CharmEvent) => body(this, e);
      if (hook === 'install') this.on.install(handler);
      else this.reconcile = handler as never;
    }
  }
  const result = await dispatch({
    charm: C,
    env: {
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_UNIT_NAME: 'demo/0',
      JUJU_MODEL_NAME: 'm',
      JUJU_MODEL_UUID: 'u',
      JUJU_VERSION: '3.6.4',
      ...env,
    },
    tools,
    meta,
  });
  // An expect() that failed inside the handler must fail the test, not just the dispatch.
  if ((result.error as Error | undefined)?.name === 'AssertionError') throw result.error;
  // state-get is always first; tests look at what the body did.
  return {
    result,
    calls: calls.filter((c) => c[0] !== 'state-get' && c[0] !== 'state-set' && c[0] !== 'juju-log'),
  };
}

describe('relations', () => {
  it('lists relations, their units and remote app', async () => {
    const { result, calls } = await inHook(
      async (charm) => {
        const [rel] = await charm.model.relations('db');
        expect(rel?.id).toBe(4);
        expect(await rel?.app()).toBe('pg');
        expect(await rel?.units()).toEqual(['pg/0']);
      },
      {
        'relation-ids': '["db:4"]',
        'relation-list': (a) => (a.includes('--app') ? '"pg"' : '["pg/0"]'),
      },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(calls).toEqual([
      ['relation-ids', '--format=json', 'db'],
      ['relation-list', '--format=json', '--app', '-r', 'db:4'],
      ['relation-list', '--format=json', '-r', 'db:4'],
    ]);
  });

  it('during relation-broken the broken relation is left out of relations(), as in Python ops', async () => {
    const broken = { JUJU_RELATION: 'db', JUJU_RELATION_ID: 'db:1', JUJU_REMOTE_APP: 'pg' };
    const { result } = await inHook(
      async (charm) => {
        expect((await charm.model.relations('db')).map((r) => r.id)).toEqual([2]);
        expect(charm.model.getRelation('db', 1).active).toBe(false);
        expect(charm.model.getRelation('db', 2).active).toBe(true);
      },
      { 'relation-ids': '["db:1","db:2"]' },
      broken,
      'db-relation-broken',
    );
    expect(result).toEqual({ exitCode: 0 });
  });

  it('during relation-departed the departing unit is not among units(), and its bag reads', async () => {
    const departed = {
      JUJU_RELATION: 'db',
      JUJU_RELATION_ID: 'db:1',
      JUJU_REMOTE_APP: 'pg',
      JUJU_REMOTE_UNIT: 'pg/1',
      JUJU_DEPARTING_UNIT: 'pg/1',
    };
    const { result } = await inHook(
      async (charm, event) => {
        const rel = charm.model.getRelation('db', 1);
        expect(await rel.units()).toEqual(['pg/0']);
        expect(await rel.remoteUnitData('pg/1')).toEqual({ ip: 'x' });
        expect((event as { departingUnit?: string }).departingUnit).toBe('pg/1');
      },
      { 'relation-list': '["pg/0"]', 'relation-get': '{"ip":"x"}' },
      departed,
      'db-relation-departed',
    );
    expect(result).toEqual({ exitCode: 0 });
  });

  it('the bags of a relation that is gone read as empty, not as an error', async () => {
    const { result } = await inHook(
      async (charm) => {
        expect(await charm.model.getRelation('db', 9).remoteUnitData('pg/0')).toEqual({});
      },
      {
        'relation-get': (argv) => {
          throw new HookToolError(
            argv,
            2,
            'ERROR invalid value "db:9" for option -r: relation not found',
          );
        },
      },
    );
    expect(result).toEqual({ exitCode: 0 });
  });

  it('relation() refuses to guess between several relations', async () => {
    const { result } = await inHook(async (charm) => void (await charm.model.relation('db')), {
      'relation-ids': '["db:1","db:2"]',
    });
    expect(result.error).toBeInstanceOf(ModelError);
    expect(String(result.error)).toMatch(/endpoint 'db' has 2 relations \(1, 2\)/);
  });

  it('a non-leader may not read its own app bag on a regular relation, but may on a peer relation', async () => {
    const denied = await inHook(
      async (charm) => void (await charm.model.getRelation('db', 1).localAppData()),
      { 'is-leader': 'false' },
    );
    expect(denied.result.error).toBeInstanceOf(RelationDataAccessError);
    expect(denied.calls).toEqual([['is-leader', '--format=json']]);
    const peer = await inHook(
      async (charm) => {
        expect(await charm.model.getRelation('cluster', 2).localAppData()).toEqual({ k: 'v' });
      },
      { 'relation-get': '{"k":"v"}' },
    );
    expect(peer.result).toEqual({ exitCode: 0 });
    expect(peer.calls).toEqual([
      ['relation-get', '--format=json', '-r', 'cluster:2', '--app', '-', 'demo'],
    ]);
  });

  it('the leader writes its app bag through stdin; values must be strings', async () => {
    const ok = await inHook(
      async (charm) => charm.model.getRelation('db', 1).setAppData({ url: 'x' }),
      { 'is-leader': 'true' },
    );
    expect(ok.calls).toEqual([
      ['is-leader', '--format=json'],
      ['relation-set', '-r', 'db:1', '--app', '--file', '-'],
    ]);
    const bad = await inHook(async (charm) =>
      charm.model.getRelation('db', 1).setUnitData({ port: 5432 as unknown as string }),
    );
    expect(bad.result.error).toBeInstanceOf(RelationDataTypeError);
    expect(String(bad.result.error)).toMatch(/key 'port' on db:1 is number; JSON.stringify it/);
    expect(bad.calls).toEqual([]);
  });

  it('the event relation knows its remote app without a tool call', async () => {
    const { calls } = await inHook(
      async (_, e) => {
        if (e.kind !== 'relation-changed') throw new Error(e.kind);
        expect(await e.relation.app()).toBe('pg');
        expect(e.relation.ref).toEqual({ endpoint: 'db', id: 9 });
      },
      {},
      {
        JUJU_RELATION: 'db',
        JUJU_RELATION_ID: 'db:9',
        JUJU_REMOTE_APP: 'pg',
        JUJU_REMOTE_UNIT: 'pg/1',
      },
      'db-relation-changed',
    );
    expect(calls).toEqual([]);
  });
});

describe('relation reads are asked once per dispatch', () => {
  it('remote data, units and ids are cached; a write to the own bag makes the next read ask again', async () => {
    const { result, calls } = await inHook(
      async (charm) => {
        const [a] = await charm.model.relations('db');
        const [b] = await charm.model.relations('db');
        expect(await a?.units()).toEqual(['pg/0']);
        expect(await b?.units()).toEqual(['pg/0']);
        expect(await a?.remoteUnitData('pg/0')).toEqual({ k: 'v' });
        const copy = await b?.remoteUnitData('pg/0');
        if (copy) copy.k = 'mutated';
        expect(await a?.remoteUnitData('pg/0')).toEqual({ k: 'v' });
        await a?.localUnitData();
        await a?.setUnitData({ mine: '1' });
        await a?.localUnitData();
      },
      { 'relation-ids': '["db:4"]', 'relation-list': '["pg/0"]', 'relation-get': '{"k":"v"}' },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(calls.map((c) => c.join(' '))).toEqual([
      'relation-ids --format=json db',
      'relation-list --format=json -r db:4',
      'relation-get --format=json -r db:4 - pg/0',
      'relation-get --format=json -r db:4 - demo/0',
      'relation-set -r db:4 --file -',
      'relation-get --format=json -r db:4 - demo/0',
    ]);
  });
});

describe('secrets', () => {
  it('app secrets are the leader’s: a non-leader is refused before secret-add', async () => {
    const { result, calls } = await inHook(
      async (charm) => void (await charm.app.addSecret({ password: 'p' })),
      { 'is-leader': 'false' },
    );
    expect(String(result.error)).toBe(
      'ModelError: cannot add an application secret: this unit is not the leader',
    );
    expect(calls).toEqual([['is-leader', '--format=json']]);
  });

  it('a unit secret, read by label, updated by id found through secret-info-get', async () => {
    const { result, calls } = await inHook(
      async (charm) => {
        const added = await charm.unit.addSecret({ token: 'first-token-value' }, { label: 'tok' });
        expect(added.id).toBe('secret:new');
        const s = charm.model.getSecret({ label: 'tok' });
        expect(await s.get()).toEqual({ token: 't1' });
        expect(await s.get()).toEqual({ token: 't1' });
        await s.set({ token: 'second-token-value' });
        await s.grant(charm.model.getRelation('db', 3), 'pg/0');
        await s.remove(2);
        expect(JSON.stringify(s)).toBe('{"id":"secret:abc","label":"tok"}');
      },
      {
        'secret-add': 'secret:new\n',
        'secret-get': '{"token":"t1"}',
        'secret-info-get': '{"secret:abc":{"label":"tok","revision":1}}',
      },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(calls.map((c) => c.filter((a) => !a.includes('#file=')))).toEqual([
      ['secret-add', '--label', 'tok', '--owner', 'unit'],
      ['secret-get', '--format=json', '--label', 'tok'],
      ['secret-info-get', '--format=json', '--label', 'tok'],
      ['secret-set', 'secret:abc'],
      ['secret-grant', '--relation', 'db:3', '--unit', 'pg/0', 'secret:abc'],
      ['secret-remove', 'secret:abc', '--revision', '2'],
    ]);
    // Values no temporary file name (charm-secret-XXXXXX) can contain by chance, as t0 could.
    expect(calls.flat().join(' ')).not.toMatch(/first-token-value|second-token-value/);
  });

  it('a missing secret is a SecretNotFoundError', async () => {
    const { result } = await inHook(
      async (charm) => void (await charm.model.getSecret({ id: 'secret:x' }).get()),
      {
        'secret-get': () => {
          throw new HookToolError(['secret-get'], 1, 'ERROR secret "x" not found');
        },
      },
    );
    expect(result.error).toBeInstanceOf(SecretNotFoundError);
  });

  it('secret-changed carries the secret; refresh tracks the latest revision', async () => {
    const { calls } = await inHook(
      async (_, e) => {
        if (e.kind !== 'secret-changed') throw new Error(e.kind);
        expect(await e.secret.get({ refresh: true })).toEqual({ a: 'b' });
      },
      { 'secret-get': '{"a":"b"}' },
      { JUJU_SECRET_ID: 'secret:abc', JUJU_SECRET_LABEL: 'db' },
      'secret-changed',
    );
    expect(calls).toEqual([
      ['secret-get', '--format=json', 'secret:abc', '--label', 'db', '--refresh'],
    ]);
  });
});

describe('unit, app and model', () => {
  it('setPorts closes the extra ports and opens the missing ones', async () => {
    const { calls } = await inHook(
      async (charm) => charm.unit.setPorts([80, { protocol: 'udp', port: 53 }]),
      {
        'opened-ports': '["80/tcp","9000/tcp"]',
      },
    );
    expect(calls).toEqual([
      ['opened-ports', '--format=json'],
      ['close-port', '9000/tcp'],
      ['open-port', '53/udp'],
    ]);
  });

  it('planned units exclude dying ones; storage, resources, network, workload version', async () => {
    const { result, calls } = await inHook(
      async (charm) => {
        expect(await charm.app.plannedUnits()).toBe(2);
        const [data] = await charm.model.storage('data');
        expect(data?.index).toBe(0);
        expect(await data?.info()).toEqual({ kind: 'filesystem', location: '/srv' });
        expect(await charm.model.resource('img')).toBe('/r/img');
        expect((await charm.model.network('db')).ingressAddresses).toEqual(['10.0.0.1']);
        await charm.unit.setWorkloadVersion('7.2');
      },
      {
        'goal-state':
          '{"units":{"demo/0":{"status":"active"},"demo/1":{"status":"waiting"},"demo/2":{"status":"dying"}}}',
        'storage-list': '["data/0"]',
        'storage-get': '{"kind":"filesystem","location":"/srv"}',
        'resource-get': '/r/img\n',
        'network-get': '{"ingress-addresses":["10.0.0.1"]}',
      },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(calls.map((c) => c[0])).toEqual([
      'goal-state',
      'storage-list',
      'storage-get',
      'resource-get',
      'network-get',
      'application-version-set',
    ]);
  });

  it('binding(): bind address, ingress addresses, egress subnets; per relation; asked once', async () => {
    const answer =
      '{"bind-addresses":[{"mac-address":"aa:bb","interface-name":"eth0","addresses":[{"hostname":"","value":"10.1.0.5","cidr":"10.1.0.0/24"}]},{"mac-address":"","interface-name":"eth1","addresses":[{"hostname":"h","value":"192.0.2.9","cidr":""}]}],"egress-subnets":["10.1.0.5/32"],"ingress-addresses":["10.1.0.5","192.0.2.9"]}';
    const { result, calls } = await inHook(
      async (charm) => {
        const network = await charm.model.binding('db').network();
        expect(network).toEqual({
          interfaces: [
            {
              name: 'eth0',
              macAddress: 'aa:bb',
              address: '10.1.0.5',
              cidr: '10.1.0.0/24',
              hostname: '',
            },
            { name: 'eth1', macAddress: '', address: '192.0.2.9', cidr: '', hostname: 'h' },
          ],
          bindAddress: '10.1.0.5',
          ingressAddress: '10.1.0.5',
          ingressAddresses: ['10.1.0.5', '192.0.2.9'],
          egressSubnets: ['10.1.0.5/32'],
        });
        await charm.model.binding('db').network();
        const relation = charm.model.getRelation('db', 3);
        expect(charm.model.binding(relation).name).toBe('db');
        expect((await charm.model.binding(relation).network()).bindAddress).toBe('10.1.0.5');
      },
      { 'network-get': answer },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(calls).toEqual([
      ['network-get', '--format=json', 'db'],
      ['network-get', '--format=json', '-r', 'db:3', 'db'],
    ]);
  });

  it('binding(): an empty network has no addresses, not a crash', async () => {
    const { result } = await inHook(async (charm) => {
      expect(await charm.model.binding('db').network()).toEqual({
        interfaces: [],
        bindAddress: undefined,
        ingressAddress: undefined,
        ingressAddresses: [],
        egressSubnets: [],
      });
    });
    expect(result).toEqual({ exitCode: 0 });
  });

  it('a status set directly is not set again by collect-status', async () => {
    const { calls } = await inHook(async (charm) => {
      await charm.unit.setStatus(Status.waiting('w'));
      charm.addStatus(Status.waiting('w'));
    });
    expect(calls).toEqual([['status-set', 'waiting', '--', 'w']]);
  });

  it('the app status is the leader’s, checked before status-set', async () => {
    const { result, calls } = await inHook(async (charm) => charm.app.setStatus(Status.active()), {
      'is-leader': 'false',
    });
    expect(String(result.error)).toMatch(
      /cannot set the application status: this unit is not the leader/,
    );
    expect(calls).toEqual([['is-leader', '--format=json']]);
  });

  it('an undeclared container or storage is a FrameworkError naming the declared ones', async () => {
    const { result } = await inHook(async (charm) => void charm.unit.container('redsi' as 'redis'));
    expect(result.error).toBeInstanceOf(FrameworkError);
    expect(String(result.error)).toMatch(
      /no container 'redsi' in charmcraft.yaml \(declared: redis\)/,
    );
  });

  it('defer() in stop is refused', async () => {
    const { result } = await inHook((_, e) => e.defer(), {}, {}, 'stop');
    expect(String(result.error)).toMatch(
      /cannot defer stop: Juju does not allow deferring stop events/,
    );
  });
});

describe('event payloads and Juju version gates', () => {
  it('storage-attached and pebble-custom-notice carry their payloads', async () => {
    await inHook(
      (_, e) => {
        if (e.kind !== 'storage-attached') throw new Error(e.kind);
        expect(e.storage).toEqual({ name: 'data', id: 'data/1', index: 1, location: '/srv' });
      },
      {},
      { JUJU_STORAGE_ID: 'data/1', JUJU_STORAGE_LOCATION: '/srv' },
      'data-storage-attached',
    ).then(({ result }) => expect(result).toEqual({ exitCode: 0 }));
    await inHook(
      (_, e) => {
        if (e.kind !== 'pebble-custom-notice') throw new Error(e.kind);
        expect(e.notice).toMatchObject({ id: '4', type: 'custom', key: 'example.com/x' });
        expect(e.container.name).toBe('redis');
      },
      {},
      {
        JUJU_WORKLOAD_NAME: 'redis',
        JUJU_NOTICE_ID: '4',
        JUJU_NOTICE_TYPE: 'custom',
        JUJU_NOTICE_KEY: 'example.com/x',
      },
      'redis-pebble-custom-notice',
    ).then(({ result }) => expect(result).toEqual({ exitCode: 0 }));
  });

  it('observing check-failed on Juju 3.5 registers fine and never fires (issue 19)', async () => {
    const calls: string[] = [];
    class C extends Charm {
      constructor(fw: Framework) {
        super(fw);
        this.on.pebbleCheckFailed('redis', () => {});
        this.on.pebbleCustomNotice('redis', () => {});
        this.on.install(() => {
          calls.push(`install on ${this.framework.jujuVersion}`);
        });
      }
    }
    const tools = processHookTools(async () => '');
    const env = {
      JUJU_DISPATCH_PATH: 'hooks/install',
      JUJU_UNIT_NAME: 'demo/0',
      JUJU_MODEL_NAME: 'm',
      JUJU_MODEL_UUID: 'u',
      JUJU_VERSION: '3.3.0',
    };
    expect(await dispatch({ charm: C, env, tools, meta })).toEqual({ exitCode: 0 });
    expect(calls).toEqual(['install on 3.3.0']);
  });

  it('JujuVersion answers feature queries', () => {
    const v = (text: string) => new JujuVersion(text);
    expect(v('3.0.2').hasSecrets).toBe(false);
    expect(v('3.0.3').hasSecrets).toBe(true);
    expect(v('3.3.9').hasCustomNotices).toBe(false);
    expect(v('3.4.0').hasCustomNotices).toBe(true);
    expect(v('3.5.5').hasCheckEvents).toBe(false);
    expect(v('3.6.0').hasCheckEvents).toBe(true);
    expect(v('3.6.1').hasRelationModelGet).toBe(false);
    expect(v('3.6.2').hasRelationModelGet).toBe(true);
    expect(v('3.2.0').supportsExecServiceContext).toBe(false);
    expect(v('3.1.6').supportsExecServiceContext).toBe(true);
    expect(v('3.6.20').hasLeaderSettings).toBe(true);
    expect(v('4.0.0').hasLeaderSettings).toBe(false);
    expect(v('3.6-beta1').atLeast('3.6')).toBe(false);
    expect(v('3.6-beta1').atLeast('3.5.9')).toBe(true);
    expect(v('4.0.0.1')).toMatchObject({ major: 4, minor: 0, patch: 0, build: 1 });
    expect(v('nonsense')).toMatchObject({ major: 0, minor: 0, patch: 0 });
    expect(JSON.stringify({ juju: v('3.6.4') })).toBe('{"juju":"3.6.4"}');
  });
});
