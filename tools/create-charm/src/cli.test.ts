/**
 * `new-charm`'s command line in a throwaway workspace: what it writes, and that every refusal
 * (a bad name, a charm that exists, bad options) comes before anything is written.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCharmcraft } from '@charm-ts/ops';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let workspace: string;

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'new-charm-cli-'));
  writeFileSync(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - charms/*\n');
  mkdirSync(join(workspace, 'charms'));
  cpSync(join(ROOT, 'charms', 'hello-kubecon'), join(workspace, 'charms', 'hello-kubecon'), {
    recursive: true,
    filter: (p) => !/node_modules|dist|\.turbo/.test(p),
  });
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

const charms = () => readdirSync(join(workspace, 'charms')).sort();
const cli = (...args: string[]) => runCli(args, join(workspace, 'charms'));
const read = (path: string) => readFileSync(join(workspace, 'charms', path), 'utf8');

describe('new-charm', () => {
  it('--help says how to use it', () => {
    const out = cli('--help');
    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect(out.stdout).toContain('Usage: pnpm new-charm <name> [--container <c>]');
    expect(out.stdout).toContain('--from <charm>');
  });

  it('writes the template with its options, and says what to run next', () => {
    const out = cli(
      'my-redis',
      '--container',
      'redis',
      '--command',
      "redis-server --save ''",
      '--port',
      '6379',
    );
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('new-charm: wrote charms/my-redis/ (10 files)');
    expect(out.stdout).toContain('pnpm install && pnpm build');
    expect(out.stdout).toContain('pnpm vitest run --project my-redis');
    const meta = parseCharmcraft(read('my-redis/charmcraft.yaml'), 'charmcraft.yaml');
    expect(meta.name).toBe('my-redis');
    expect(Object.keys(meta.containers)).toEqual(['redis']);
    expect(meta.containers.redis?.resource).toBe('redis-image');
    expect(Object.keys(meta.resources)).toEqual(['redis-image']);
    expect(Object.keys(meta.config)).toEqual(['log-level']);
    expect(Object.keys(meta.actions)).toEqual(['restart']);
    const charm = read('my-redis/src/my-redis-charm.ts');
    expect(charm).toContain("export const COMMAND = 'redis-server --save \\'\\'';");
    expect(charm).toContain('export const PORT = 6379;');
    expect(charm).toContain('export class MyRedisCharm extends Charm<Types>');
    expect(JSON.parse(read('my-redis/package.json')).name).toBe('my-redis');
    expect(read('my-redis/vitest.config.ts')).toContain("name: 'my-redis'");
    expect(read('my-redis/e2e/my-redis.test.ts')).toContain("const PROGRAM = 'redis-server';");
    expect(read('my-redis/README.md')).toMatch(/^# my-redis\n/);
    expect(read('my-redis/src/charm.ts')).toContain('void main(MyRedisCharm, { meta });');
  });

  it('defaults to a container named after the charm and a Python web server on 8080', () => {
    expect(cli('web').exitCode).toBe(0);
    const meta = parseCharmcraft(read('web/charmcraft.yaml'), 'charmcraft.yaml');
    expect(Object.keys(meta.containers)).toEqual(['web']);
    expect(read('web/src/web-charm.ts')).toContain(
      "export const COMMAND = 'python3 -m http.server 8080';",
    );
  });

  it('gives each new charm its own vitest groupOrder', () => {
    cli('one');
    cli('two');
    const order = (name: string) =>
      Number(/groupOrder: (\d+)/.exec(read(`${name}/vitest.config.ts`))?.[1]);
    expect(order('two')).toBe(order('one') + 1);
  });

  it('copies a charm with --from, and says what it left out', () => {
    const out = cli('my-site', '--from', 'hello-kubecon');
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('new-charm: wrote charms/my-site/ (');
    expect(out.stdout).toContain(', a copy of charms/hello-kubecon)');
    expect(out.stdout).toContain('left out: test-deps.sh');
    expect(read('my-site/charmcraft.yaml')).toMatch(/^name: my-site$/m);
    expect(charms()).toEqual(['hello-kubecon', 'my-site']);
  });

  it.each([
    [['My-Redis'], 'is not a charm name'],
    [['redis-7'], 'a letter in every part after a hyphen'],
    [['hello-kubecon'], 'charms/hello-kubecon exists already'],
    [['x', '--from', 'nope'], 'no such charm in charms/ (there are: hello-kubecon)'],
    [['x', '--from', 'hello-kubecon', '--port', '80'], '--port only shape the template'],
    [['x', '--container', 'Web'], '--container "Web" is not a valid name'],
    [['x', '--port', '0'], '--port 0 is not a TCP port'],
    [['x', '--port', '80a'], '--port 80a is not a TCP port'],
    [['x', '--command', ''], '--command is empty'],
    [['x', '--command', 'a\nb'], '--command has a line break'],
  ])('refuses %j before writing anything: %s', (args, message) => {
    const before = charms();
    const out = cli(...args);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(message);
    expect(charms()).toEqual(before);
    expect(readdirSync(join(workspace, 'charms')).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it.each([
    [[], 'give the new charm a name'],
    [['a', 'b'], 'one name, not 2'],
    [['a', '--colour', 'red'], "Unknown option '--colour'"],
  ])('usage errors exit 2: %j', (args, message) => {
    const out = cli(...args);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain('(see pnpm new-charm --help)');
  });

  it('refuses a directory that is not in a workspace', () => {
    const out = runCli(['x'], tmpdir());
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain('no pnpm-workspace.yaml');
  });
});
