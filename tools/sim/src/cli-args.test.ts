import { describe, expect, test } from 'vitest';
import { parseCli, parseDuration, parseUnitCount } from './cli-args.ts';

describe('parseCli', () => {
  test('command, positionals, repeatable options in both spellings', () => {
    expect(
      parseCli([
        'deploy',
        'x.charm',
        'app',
        '--config',
        'a=1',
        '--config=b=2',
        '-n',
        '3',
        '--force',
      ]),
    ).toEqual({
      command: 'deploy',
      positional: ['x.charm', 'app'],
      options: { config: ['a=1', 'b=2'], n: ['3'], force: ['true'] },
      help: false,
    });
    expect(parseCli(['status', '--help']).help).toBe(true);
  });

  test('unknown options and missing values are one clear line', () => {
    expect(() => parseCli(['status', '--colour'])).toThrow(
      'unknown option --colour: see charm-sim --help',
    );
    expect(() => parseCli(['deploy', '--config'])).toThrow('option --config needs a value');
  });

  test('a negative number is a value, left to the command to refuse', () => {
    expect(parseCli(['scale', 'web', '-1']).positional).toEqual(['web', '-1']);
    expect(parseCli(['deploy', 'x.charm', '-n', '-2']).options.n).toEqual(['-2']);
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
