import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HookToolError } from '../errors.ts';
import { processHookTools } from './process.ts';
import type { HookTools } from './types.ts';

interface Call {
  argv: string[];
  stdin: string | undefined;
}

/** A `run` that records each call and answers a canned stdout. */
function recorder(stdout = '') {
  const calls: Call[] = [];
  const tools = processHookTools(async (argv, stdin) => {
    calls.push({ argv: [...argv], stdin });
    return stdout;
  });
  return { calls, tools };
}

const db = { endpoint: 'db', id: 7 };

type Case = [
  name: string,
  call: (t: HookTools) => Promise<unknown>,
  argv: string[],
  stdout: string,
  result: unknown,
  stdin?: string,
];

const cases: Case[] = [
  [
    'action-get',
    (t) => t.actionGet(),
    ['action-get', '--format=json'],
    '{"url":"x","depth":2}\n',
    { url: 'x', depth: 2 },
  ],
  [
    'action-set',
    (t) => t.actionSet({ a: '1', 'b.c': 'two' }),
    ['action-set', 'a=1', 'b.c=two'],
    '',
    undefined,
  ],
  ['action-log', (t) => t.actionLog('-50% done'), ['action-log', '--', '-50% done'], '', undefined],
  [
    'action-fail with message',
    (t) => t.actionFail('boom'),
    ['action-fail', '--', 'boom'],
    '',
    undefined,
  ],
  ['action-fail bare', (t) => t.actionFail(), ['action-fail'], '', undefined],
  [
    'application-version-set',
    (t) => t.applicationVersionSet('1.2.3'),
    ['application-version-set', '--', '1.2.3'],
    '',
    undefined,
  ],
  [
    'config-get',
    (t) => t.configGet(),
    ['config-get', '--format=json'],
    '{"port":8080,"debug":false}\n',
    { port: 8080, debug: false },
  ],
  [
    'credential-get',
    (t) => t.credentialGet(),
    ['credential-get', '--format=json'],
    '{"type":"kubernetes"}\n',
    { type: 'kubernetes' },
  ],
  [
    'goal-state',
    (t) => t.goalState(),
    ['goal-state', '--format=json'],
    '{"units":{"a/0":{"status":"active","since":"2025-01-01 00:00:00Z"}},"relations":{}}\n',
    { units: { 'a/0': { status: 'active', since: '2025-01-01 00:00:00Z' } }, relations: {} },
  ],
  ['is-leader true', (t) => t.isLeader(), ['is-leader', '--format=json'], 'true\n', true],
  ['is-leader false', (t) => t.isLeader(), ['is-leader', '--format=json'], 'false\n', false],
  [
    'juju-log',
    (t) => t.jujuLog('WARNING', '--odd'),
    ['juju-log', '--log-level', 'WARNING', '--', '--odd'],
    '',
    undefined,
  ],
  [
    'network-get',
    (t) => t.networkGet('db', db),
    ['network-get', '--format=json', '-r', 'db:7', 'db'],
    '{"bind-addresses":[{"mac-address":"","interface-name":"eth0","addresses":[{"hostname":"","value":"10.1.2.3","cidr":"10.1.2.0/24"}]}],"egress-subnets":["10.1.2.3/32"],"ingress-addresses":["10.1.2.3"]}\n',
    {
      bindAddresses: [
        {
          macAddress: '',
          interfaceName: 'eth0',
          addresses: [{ hostname: '', value: '10.1.2.3', cidr: '10.1.2.0/24' }],
        },
      ],
      egressSubnets: ['10.1.2.3/32'],
      ingressAddresses: ['10.1.2.3'],
    },
  ],
  [
    'open-port',
    (t) => t.openPort({ protocol: 'tcp', port: 8080 }),
    ['open-port', '8080/tcp'],
    '',
    undefined,
  ],
  [
    'open-port range with endpoints',
    (t) => t.openPort({ protocol: 'udp', port: 8000, toPort: 8999 }, ['a', 'b']),
    ['open-port', '--endpoints', 'a,b', '8000-8999/udp'],
    '',
    undefined,
  ],
  [
    'close-port icmp',
    (t) => t.closePort({ protocol: 'icmp' }),
    ['close-port', 'icmp'],
    '',
    undefined,
  ],
  [
    'opened-ports',
    (t) => t.openedPorts(),
    ['opened-ports', '--format=json'],
    '["8080/tcp","icmp","8081-8090/udp","80"]\n',
    [
      { protocol: 'tcp', port: 8080 },
      { protocol: 'icmp' },
      { protocol: 'udp', port: 8081, toPort: 8090 },
      { protocol: 'tcp', port: 80 },
    ],
  ],
  [
    'relation-ids',
    (t) => t.relationIds('db'),
    ['relation-ids', '--format=json', 'db'],
    '["db:7","db:9"]\n',
    [7, 9],
  ],
  [
    'relation-ids none',
    (t) => t.relationIds('db'),
    ['relation-ids', '--format=json', 'db'],
    '[]\n',
    [],
  ],
  [
    'relation-list',
    (t) => t.relationList(db),
    ['relation-list', '--format=json', '-r', 'db:7'],
    '["pg/0","pg/1"]\n',
    ['pg/0', 'pg/1'],
  ],
  [
    'relation-list --app',
    (t) => t.relationListApp(db),
    ['relation-list', '--format=json', '--app', '-r', 'db:7'],
    '"pg"\n',
    'pg',
  ],
  [
    'relation-get unit',
    (t) => t.relationGet(db, 'pg/0', false),
    ['relation-get', '--format=json', '-r', 'db:7', '-', 'pg/0'],
    '{"host":"h"}\n',
    { host: 'h' },
  ],
  [
    'relation-get app',
    (t) => t.relationGet(db, 'pg', true),
    ['relation-get', '--format=json', '-r', 'db:7', '--app', '-', 'pg'],
    '{}\n',
    {},
  ],
  [
    'relation-set',
    (t) => t.relationSet(db, { a: 'x', gone: '' }, false),
    ['relation-set', '-r', 'db:7', '--file', '-'],
    '',
    undefined,
    '{"a":"x","gone":""}',
  ],
  [
    'relation-set --app',
    (t) => t.relationSet(db, { a: 'x' }, true),
    ['relation-set', '-r', 'db:7', '--app', '--file', '-'],
    '',
    undefined,
    '{"a":"x"}',
  ],
  [
    'relation-model-get',
    (t) => t.relationModelGet(db),
    ['relation-model-get', '--format=json', '-r', 'db:7'],
    '{"uuid":"u-1"}\n',
    { uuid: 'u-1' },
  ],
  [
    'resource-get',
    (t) => t.resourceGet('blob'),
    ['resource-get', 'blob'],
    '/var/lib/juju/agents/unit-a-0/resources/blob/blob.tar\n',
    '/var/lib/juju/agents/unit-a-0/resources/blob/blob.tar',
  ],
  [
    'secret-get by id',
    (t) => t.secretGet({ id: 'secret:abc' }),
    ['secret-get', '--format=json', 'secret:abc'],
    '{"password":"p"}\n',
    { password: 'p' },
  ],
  [
    'secret-get by label, refresh',
    (t) => t.secretGet({ label: 'db', refresh: true }),
    ['secret-get', '--format=json', '--label', 'db', '--refresh'],
    '{}\n',
    {},
  ],
  [
    'secret-get peek',
    (t) => t.secretGet({ id: 'secret:abc', label: 'l', peek: true }),
    ['secret-get', '--format=json', 'secret:abc', '--label', 'l', '--peek'],
    '{}\n',
    {},
  ],
  [
    'secret-grant',
    (t) => t.secretGrant('secret:abc', db, 'pg/0'),
    ['secret-grant', '--relation', 'db:7', '--unit', 'pg/0', 'secret:abc'],
    '',
    undefined,
  ],
  [
    'secret-revoke',
    (t) => t.secretRevoke('secret:abc', { relation: db, app: 'pg' }),
    ['secret-revoke', '--relation', 'db:7', '--app', 'pg', 'secret:abc'],
    '',
    undefined,
  ],
  [
    'secret-remove',
    (t) => t.secretRemove('secret:abc', 3),
    ['secret-remove', 'secret:abc', '--revision', '3'],
    '',
    undefined,
  ],
  [
    'secret-ids',
    (t) => t.secretIds(),
    ['secret-ids', '--format=json'],
    '["secret:a"]\n',
    ['secret:a'],
  ],
  [
    'secret-info-get',
    (t) => t.secretInfoGet({ label: 'db' }),
    ['secret-info-get', '--format=json', '--label', 'db'],
    '{"secret:abc":{"label":"db","revision":2,"rotation":"daily","rotates":"2025-01-02T00:00:00Z"}}\n',
    {
      id: 'secret:abc',
      label: 'db',
      revision: 2,
      rotation: 'daily',
      rotates: '2025-01-02T00:00:00Z',
    },
  ],
  ['state-get', (t) => t.stateGet('k'), ['state-get', '--format=json', 'k'], '"v"\n', 'v'],
  ['state-get missing', (t) => t.stateGet('k'), ['state-get', '--format=json', 'k'], '', undefined],
  [
    'state-set',
    (t) => t.stateSet({ k: 'v' }),
    ['state-set', '--file', '-'],
    '',
    undefined,
    '{"k":"v"}',
  ],
  ['state-delete', (t) => t.stateDelete('k'), ['state-delete', 'k'], '', undefined],
  [
    'status-get',
    (t) => t.statusGet(),
    ['status-get', '--format=json', '--include-data'],
    '{"message":"ok","status":"active","status-data":{}}\n',
    { status: 'active', message: 'ok' },
  ],
  [
    'status-get --application',
    (t) => t.appStatusGet(),
    ['status-get', '--format=json', '--include-data', '--application'],
    '{"application-status":{"message":"","status":"waiting","status-data":{},"units":{"a/0":{"message":"m","status":"active","status-data":{}}}}}\n',
    { status: 'waiting', message: '', units: { 'a/0': { status: 'active', message: 'm' } } },
  ],
  [
    'status-set unit',
    (t) => t.statusSet('blocked', 'need db', false),
    ['status-set', 'blocked', '--', 'need db'],
    '',
    undefined,
  ],
  [
    'status-set app',
    (t) => t.statusSet('active', '', true),
    ['status-set', '--application', 'active', '--', ''],
    '',
    undefined,
  ],
  [
    'storage-get',
    (t) => t.storageGet('data/0'),
    ['storage-get', '--format=json', '-s', 'data/0'],
    '{"kind":"filesystem","location":"/srv"}\n',
    { kind: 'filesystem', location: '/srv' },
  ],
  [
    'storage-list',
    (t) => t.storageList('data'),
    ['storage-list', '--format=json', 'data'],
    '["data/0"]\n',
    ['data/0'],
  ],
  ['storage-add', (t) => t.storageAdd({ data: 2 }), ['storage-add', 'data=2'], '', undefined],
  [
    'unit-get',
    (t) => t.unitGet('private-address'),
    ['unit-get', '--format=json', 'private-address'],
    '"10.0.0.1"\n',
    '10.0.0.1',
  ],
  ['leader-get', (t) => t.leaderGet(), ['leader-get', '--format=json'], '{"a":"b"}\n', { a: 'b' }],
  ['leader-set', (t) => t.leaderSet({ a: 'b' }), ['leader-set', 'a=b'], '', undefined],
];

describe('processHookTools argv and output parsing', () => {
  it.each(cases)('%s', async (_, call, argv, stdout, result, stdin) => {
    const { calls, tools } = recorder(stdout);
    await expect(call(tools)).resolves.toEqual(result);
    expect(calls).toEqual([{ argv, stdin }]);
  });
});

describe('secret content never on the command line', () => {
  it('secret-add passes each value through a private file, removed afterwards', async () => {
    const seen: { argv: string[]; files: Record<string, string> } = { argv: [], files: {} };
    const tools = processHookTools(async (argv) => {
      seen.argv = [...argv];
      for (const arg of argv.filter((a) => a.includes('#file='))) {
        const [key, path] = arg.split('#file=') as [string, string];
        seen.files[key] = await readFile(path, 'utf8');
      }
      return 'secret:new\n';
    });
    const id = await tools.secretAdd(
      { password: 'hunter2' },
      { label: 'db', owner: 'unit', rotate: 'daily' },
    );
    expect(id).toBe('secret:new');
    expect(seen.argv.slice(0, 7)).toEqual([
      'secret-add',
      '--label',
      'db',
      '--rotate',
      'daily',
      '--owner',
      'unit',
    ]);
    expect(seen.argv.join(' ')).not.toContain('hunter2');
    expect(seen.files).toEqual({ password: 'hunter2' });
    const file = (seen.argv.at(-1) as string).split('#file=')[1] as string;
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('secret-set puts metadata flags before the id and content after it', async () => {
    const { calls, tools } = recorder();
    await tools.secretSet('secret:abc', { content: { token: 's3cret' }, description: 'd' });
    const argv = calls[0]?.argv ?? [];
    expect(argv.slice(0, 4)).toEqual(['secret-set', '--description', 'd', 'secret:abc']);
    expect(argv[4]).toMatch(/^token#file=\//);
    expect(argv.join(' ')).not.toContain('s3cret');
  });

  it('refuses a key Juju would refuse, without echoing the value', async () => {
    const { calls, tools } = recorder();
    await expect(tools.secretAdd({ PW: 'hunter2' })).rejects.toThrow(/invalid secret key 'PW'/);
    await expect(tools.secretAdd({ PW: 'hunter2' })).rejects.not.toThrow(/hunter2/);
    expect(calls).toEqual([]);
  });
});

describe('the process run()', () => {
  it('names a tool that is not on PATH', async () => {
    const tools = processHookTools();
    const prev = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(tools.isLeader()).rejects.toMatchObject({
        exitCode: -1,
        stderr: expect.stringMatching(/is-leader: not found on PATH/),
      });
    } finally {
      process.env.PATH = prev;
    }
  });

  it('reports unparseable JSON as a HookToolError', async () => {
    const { tools } = recorder('not json');
    await expect(tools.configGet()).rejects.toBeInstanceOf(HookToolError);
  });
});
