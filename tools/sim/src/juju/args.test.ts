import { describe, expect, test } from 'vitest';
import { durationFlag, flags, noMoreThan, outputFormat, parseJujuArgs } from './args.ts';

const specs = {
  model: { type: 'string', short: 'm' },
  format: { type: 'string' },
  config: { type: 'string', multiple: true },
  'num-units': { type: 'string', short: 'n' },
  trust: { type: 'boolean' },
  wait: { type: 'string' },
} as const;

describe('parseJujuArgs', () => {
  test('flags anywhere, both spellings, repeatable, negative numbers as values', () => {
    const args = parseJujuArgs(
      [
        '--model',
        'm1',
        './x.charm',
        'app',
        '--config',
        'a=1',
        '--config=b=2',
        '-n',
        '-3',
        '--trust',
      ],
      specs,
    );
    expect(args.positionals).toEqual(['./x.charm', 'app']);
    expect(args.values).toMatchObject({ model: 'm1', 'num-units': '-3', trust: true });
    expect(flags(args, 'config')).toEqual(['a=1', 'b=2']);
  });

  test('everything after -- is an argument', () => {
    expect(
      parseJujuArgs(['--format', 'json', '--', 'echo', '-n', 'hi'], specs).positionals,
    ).toEqual(['echo', '-n', 'hi']);
  });

  test.each([
    [['--nope'], 'option provided but not defined: --nope'],
    [['-x'], 'option provided but not defined: -x'],
    [['--model'], 'option needs an argument: --model'],
    [['--trust=yes'], 'flag --trust takes no value'],
  ])('%j is refused with exit 2: %s', (argv, message) => {
    expect(() => parseJujuArgs(argv, specs)).toThrow(
      expect.objectContaining({ message, exitCode: 2 }),
    );
  });
});

describe('values', () => {
  test('--format is one of the formats the command writes', () => {
    expect(outputFormat(parseJujuArgs(['--format', 'json'], specs), ['yaml', 'json'], 'yaml')).toBe(
      'json',
    );
    expect(outputFormat(parseJujuArgs([], specs), ['yaml', 'json'], 'yaml')).toBe('yaml');
    expect(() =>
      outputFormat(parseJujuArgs(['--format=xml'], specs), ['yaml', 'json'], 'yaml'),
    ).toThrow('invalid value "xml" for option --format: unknown format "xml"');
  });

  test('--wait takes Go durations, as jubilant writes them', () => {
    const wait = (text: string) => durationFlag(parseJujuArgs(['--wait', text], specs), 'wait', 1);
    expect(wait('60.0s')).toBe(60_000);
    expect(wait('1m30s')).toBe(90_000);
    expect(wait('0.001s')).toBe(1);
    expect(durationFlag(parseJujuArgs([], specs), 'wait', 5000)).toBe(5000);
    expect(() => wait('soon')).toThrow('invalid value "soon" for option --wait');
  });

  test('extra arguments are named, as Juju does', () => {
    expect(() => noMoreThan(parseJujuArgs(['a', 'b', 'c'], specs), 1)).toThrow(
      'unrecognized args: ["b","c"]',
    );
  });
});
