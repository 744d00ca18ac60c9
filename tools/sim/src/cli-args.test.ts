import { describe, expect, test } from 'vitest';
import { parseCli, parseDuration } from './cli-args.ts';

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
