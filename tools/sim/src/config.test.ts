import type { ConfigOptionMeta } from '@charm-ts/ops/metadata';
import { describe, expect, test } from 'vitest';
import { parseConfigArgs } from './config.ts';

const OPTIONS: Record<string, ConfigOptionMeta> = {
  port: { type: 'int', default: 80 },
  ratio: { type: 'float' },
  debug: { type: 'boolean', default: false },
  name: { type: 'string', default: 'x' },
  password: { type: 'secret' },
};

describe('parseConfigArgs', () => {
  test('converts each value to its declared type', () => {
    expect(
      parseConfigArgs('app', OPTIONS, ['port=8080', 'ratio=0.5', 'debug=true', 'name=a=b']),
    ).toEqual({ port: 8080, ratio: 0.5, debug: true, name: 'a=b' });
  });

  test('wrong types name the option, the value and what to pass', () => {
    expect(() => parseConfigArgs('app', OPTIONS, ['port=80.5'])).toThrow(
      'option "port" expected int, got "80.5": pass a whole number, e.g. 8080',
    );
    expect(() => parseConfigArgs('app', OPTIONS, ['debug=maybe'])).toThrow(
      'option "debug" expected boolean, got "maybe": pass true or false',
    );
    expect(() => parseConfigArgs('app', OPTIONS, ['ratio=x'])).toThrow(/expected float/);
    expect(() => parseConfigArgs('app', OPTIONS, ['password=hunter2'])).toThrow(/expected secret/);
  });

  test('unknown keys list the known ones', () => {
    expect(() => parseConfigArgs('app', OPTIONS, ['prot=1'])).toThrow(
      'unknown option "prot" for app: known options: debug, name, password, port, ratio',
    );
    expect(() => parseConfigArgs('app', OPTIONS, ['port'])).toThrow('expected key=value');
  });
});
