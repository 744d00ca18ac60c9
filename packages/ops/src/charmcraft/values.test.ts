import { describe, expect, test } from 'vitest';
import {
  checkActionParams,
  configValueProblem,
  configWithDefaults,
  parseConfigValue,
} from './values.ts';

describe('configValueProblem', () => {
  test('each type as Juju validates it; a secret is a secret URI or empty', () => {
    expect(configValueProblem('int', 8080)).toBeUndefined();
    expect(configValueProblem('int', 80.5)).toBe('expected an integer, got 80.5');
    expect(configValueProblem('float', 3)).toBeUndefined();
    expect(configValueProblem('boolean', 'true')).toBe('expected true or false, got "true"');
    expect(configValueProblem('string', 1)).toBe('expected a string, got 1');
    expect(configValueProblem('secret', 'secret:cs0abc')).toBeUndefined();
    expect(configValueProblem('secret', '')).toBeUndefined();
    expect(configValueProblem('secret', 'hunter2')).toBe(
      'expected a secret URI (secret:…), got "hunter2"',
    );
  });
});

describe('parseConfigValue', () => {
  test('parses as `juju config` does (Go strconv), with Juju’s text for a bad value', () => {
    expect(parseConfigValue('port', 'int', '+8080')).toEqual({ value: 8080 });
    expect(parseConfigValue('ratio', 'float', '1e-3')).toEqual({ value: 0.001 });
    expect(parseConfigValue('debug', 'boolean', 'T')).toEqual({ value: true });
    expect(parseConfigValue('debug', 'boolean', '0')).toEqual({ value: false });
    expect(parseConfigValue('name', 'string', ' a b ')).toEqual({ value: ' a b ' });
    expect(parseConfigValue('port', 'int', ' 80')).toEqual({
      problem: 'option "port" expected int, got " 80"',
    });
    expect(parseConfigValue('debug', 'boolean', 'yes')).toEqual({
      problem: 'option "debug" expected boolean, got "yes"',
    });
    expect(parseConfigValue('pw', 'secret', 'hunter2')).toEqual({
      problem: 'option "pw" expected secret, got "hunter2"',
    });
  });
});

describe('configWithDefaults', () => {
  test('set values over defaults; options with neither are absent; undeclared keys dropped', () => {
    const options = {
      port: { type: 'int' as const, default: 80 },
      name: { type: 'string' as const },
      debug: { type: 'boolean' as const, default: false },
    };
    expect(configWithDefaults(options, { port: 1, other: 'x' })).toEqual({ port: 1, debug: false });
  });
});

describe('checkActionParams', () => {
  const action = {
    params: { to: { type: 'string' }, count: { type: 'integer', default: 1 } },
    required: ['to'],
    additionalProperties: false,
  };

  test('applies defaults', () => {
    expect(checkActionParams(action, { to: '/x' })).toEqual({ params: { to: '/x', count: 1 } });
  });

  test('names the parameter: missing, unknown, wrong type', () => {
    expect(checkActionParams(action, {})).toEqual({
      problem: { param: 'to', kind: 'missing', message: 'missing required parameter "to"' },
    });
    expect(checkActionParams(action, { to: 'x', nope: 1 })).toEqual({
      problem: {
        param: 'nope',
        kind: 'unknown',
        message: 'unknown parameter "nope": known parameters: to, count',
      },
    });
    expect(checkActionParams(action, { to: 'x', count: 1.5 })).toMatchObject({
      problem: {
        param: 'count',
        kind: 'type',
        message: 'parameter "count" must be integer, got 1.5',
      },
    });
  });

  test('undeclared parameters pass when additionalProperties is not false (Juju’s default)', () => {
    expect(checkActionParams({ params: {} }, { any: [1] })).toEqual({ params: { any: [1] } });
  });
});
