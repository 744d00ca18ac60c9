import { describe, expect, test } from 'vitest';
import {
  checkOptions,
  parseActionArgs,
  parseCommandLine,
  parseDuration,
  parseResources,
  parseUnitCount,
} from './cli-args.ts';
import { allOptions, findCommand } from './cli-commands.ts';

const parse = (argv: string[]) => parseCommandLine(argv, allOptions());

describe('parseCommandLine', () => {
  test('command, positionals, repeatable options in both spellings, flags', () => {
    expect(
      parse([
        '--state-dir',
        '/tmp/s',
        'deploy',
        'x.charm',
        'app',
        '--config',
        'a=1',
        '--config=b=2',
        '-n',
        '3',
      ]),
    ).toEqual({
      command: 'deploy',
      positionals: ['x.charm', 'app'],
      values: { 'state-dir': '/tmp/s', config: ['a=1', 'b=2'], 'num-units': '3' },
      help: false,
    });
    expect(parse(['destroy', '--force']).values.force).toBe(true);
    expect(parse(['status', '--help']).help).toBe(true);
    expect(parse(['status', '-h']).help).toBe(true);
  });

  test('unknown options, missing values and values given to flags are one clear line', () => {
    expect(() => parse(['status', '--colour'])).toThrow(
      'unknown option --colour: see charm-sim --help',
    );
    expect(() => parse(['deploy', '--config'])).toThrow('option --config needs a value');
    expect(() => parse(['deploy', 'x.charm', '-n'])).toThrow('option -n needs a value');
    expect(() => parse(['destroy', '--force=yes'])).toThrow('option --force takes no value');
  });

  test("an option of another command is refused by this one's check", () => {
    const line = parse(['status', '--config', 'a=1']);
    expect(() => checkOptions(line, findCommand('status')?.options ?? {})).toThrow(
      'unknown option --config for status: see charm-sim --help',
    );
    expect(() =>
      checkOptions(parse(['status', '--format', 'json']), { format: { type: 'string' } }),
    ).not.toThrow();
  });

  test('a negative number is a value, left to the command to refuse', () => {
    expect(parse(['scale', 'web', '-1']).positionals).toEqual(['web', '-1']);
    expect(parse(['deploy', 'x.charm', '-n', '-2']).values['num-units']).toBe('-2');
  });
});

describe('findCommand', () => {
  test('names and aliases', () => {
    expect(findCommand('relate')?.name).toBe('integrate');
    expect(findCommand('resolved')?.name).toBe('resolve');
    expect(findCommand('frobnicate')).toBeUndefined();
  });
});

describe('parseActionArgs and parseResources', () => {
  test('key=value pairs, values read as YAML', () => {
    expect(parseActionArgs(['n=3', 'name=web', 'on=true'])).toEqual({
      n: 3,
      name: 'web',
      on: true,
    });
    expect(() => parseActionArgs(['oops'])).toThrow('expected key=value, got "oops"');
    expect(parseResources(['blob=/tmp/b=c'])).toEqual({ blob: '/tmp/b=c' });
    expect(() => parseResources(['blob'])).toThrow('--resource expects name=path, got "blob"');
  });
});

describe('parseUnitCount', () => {
  test('a whole number ≥ 0, or an error naming the command and what it got', () => {
    expect(parseUnitCount('3', 'scale')).toBe(3);
    expect(parseUnitCount('0', 'scale')).toBe(0);
    for (const bad of ['-1', '1.5', 'two', '', '1e3']) {
      expect(() => parseUnitCount(bad, 'scale')).toThrow(
        `scale expects a whole number ≥ 0 of units, got "${bad}"`,
      );
    }
  });
});

describe('parseDuration', () => {
  test('units and plain seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(() => parseDuration('soon')).toThrow('invalid duration "soon"');
  });
});
