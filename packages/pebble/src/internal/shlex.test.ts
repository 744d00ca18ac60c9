import { describe, expect, it } from 'vitest';
import { checkCommandGroups, shlexSplit } from './shlex.ts';

describe('shlexSplit', () => {
  it('splits words with quotes and escapes like a shell', () => {
    expect(shlexSplit(`/bin/sh -c "echo hi; sleep 1000"`)).toEqual([
      '/bin/sh',
      '-c',
      'echo hi; sleep 1000',
    ]);
    expect(shlexSplit(`a 'b c' d\\ e "f\\"g" ''`)).toEqual(['a', 'b c', 'd e', 'f"g', '']);
    expect(shlexSplit('  ')).toEqual([]);
  });

  it('refuses an open quote or a trailing escape', () => {
    expect(() => shlexSplit('echo "hi')).toThrow('closing quote');
    expect(() => shlexSplit("echo 'hi")).toThrow('closing quote');
    expect(() => shlexSplit('echo \\')).toThrow('escape');
  });
});

describe('checkCommandGroups', () => {
  it('accepts one trailing [ default args ] group', () => {
    expect(() => checkCommandGroups(['srv', '[', '--port', '80', ']'])).not.toThrow();
  });

  it('refuses the groups Pebble refuses', () => {
    expect(() => checkCommandGroups(['[', 'a', ']'])).toThrow(
      'cannot start command with [ ... ] group',
    );
    expect(() => checkCommandGroups(['a', '[', 'b', '[', ']'])).toThrow(
      'cannot nest [ ... ] groups',
    );
    expect(() => checkCommandGroups(['a', '[', 'b', ']', 'c'])).toThrow(
      'cannot have any arguments after [ ... ] group',
    );
    expect(() => checkCommandGroups(['a', ']'])).toThrow('cannot have ] outside of [ ... ] group');
  });
});
