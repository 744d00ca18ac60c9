import { describe, expect, it } from 'vitest';
import { checkCommandGroups, shlexSplit } from './shlex.ts';

describe('shlexSplit', () => {
  // Each row was checked against Go's github.com/canonical/x-go/strutil/shlex (the version
  // Pebble v1.32.1 builds with): the same words, or the same error.
  it.each([
    ['/bin/sh -c "echo hi; sleep 1000"', ['/bin/sh', '-c', 'echo hi; sleep 1000']],
    [`a 'b c' d\\ e "f\\"g" ''`, ['a', 'b c', 'd e', 'f"g', '']],
    ['  ', []],
    ['echo "a\\x"', ['echo', 'ax']],
    ['echo "a\\$b\\`c\\\\d"', ['echo', 'a$b`c\\d']],
    ['# comment\nsrv --port 80', ['srv', '--port', '80']],
    ['srv # trailing\nnext', ['srv', 'next']],
    ['a#b c', ['a#b', 'c']],
    ['""#x', ['#x']],
    ['a\vb c\fd', ['a\vb', 'c\fd']],
    ['tab\there', ['tab', 'here']],
    ['cr\rlf\n', ['cr', 'lf']],
    ['x\u00a0y', ['x\u00a0y']],
    [`a'b'c"d"e`, ['abcde']],
    ['srv [ --x ]', ['srv', '[', '--x', ']']],
  ])('splits %j as Pebble does', (line, words) => {
    expect(shlexSplit(line)).toEqual(words);
  });

  it.each([
    ['a\\', 'EOF found after escape character'],
    ['"a\\', 'EOF found after escape character'],
    ['echo "hi', 'EOF found when expecting closing quote'],
    ["echo 'hi", 'EOF found when expecting closing quote'],
  ])("refuses %j with Pebble's words", (line, message) => {
    expect(() => shlexSplit(line)).toThrow(message);
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
