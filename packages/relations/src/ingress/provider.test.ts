import { describe, expect, it } from 'vitest';
import {
  ingressProviderAppBag,
  readIngressRequirerAppBag,
  readIngressRequirerUnitBag,
} from './provider.ts';
import { ingressRequirerAppBag, ingressRequirerUnitBag } from './requirer.ts';

describe('readIngressRequirerAppBag', () => {
  it('fills in the defaults of what is not written, and ignores other keys', () => {
    expect(
      readIngressRequirerAppBag({ model: '"m"', name: '"a"', port: '80', host: 'v1 leftover' }),
    ).toEqual({
      model: 'm',
      name: 'a',
      port: 80,
      isPortOpen: false,
      stripPrefix: false,
      redirectHttps: false,
      scheme: 'http',
    });
  });

  it('reads back what the requirer side writes', () => {
    const request = {
      model: 'm',
      name: 'a',
      port: 8080,
      isPortOpen: true,
      stripPrefix: true,
      redirectHttps: false,
      scheme: 'h2c' as const,
      healthcheck: { path: '/ok', hostname: 'a.local', interval: '30s', timeout: '1s' },
    };
    expect(readIngressRequirerAppBag(ingressRequirerAppBag(request))).toEqual(request);
  });

  it.each([
    [{ port: '"8080"' }, 'port', 'must be an integer from 1 to 65534, not "8080"'],
    [{ port: '70000' }, 'port', 'must be an integer from 1 to 65534, not 70000'],
    [{ model: '7' }, 'model', 'must be a string, not 7'],
    [{ name: undefined }, 'name', 'is missing'],
    [{ scheme: 'null' }, 'scheme', 'must be one of http, https, h2c, not null'],
    [{ 'strip-prefix': '"yes"' }, 'strip-prefix', 'must be true or false, not "yes"'],
    [{ healthcheck_params: '{"interval": "1s"}' }, 'healthcheck_params.path', 'is missing'],
    [
      { healthcheck_params: '{"path": "/", "port": "x"}' },
      'healthcheck_params.port',
      'must be an integer',
    ],
    [{ model: '{' }, 'model', 'is not JSON: "{"'],
  ])('refuses %j, naming the key', (change, key, message) => {
    const bag = Object.fromEntries(
      Object.entries({ model: '"m"', name: '"a"', port: '80', ...change }).filter(
        ([, v]) => v !== undefined,
      ),
    ) as Record<string, string>;
    expect(() => readIngressRequirerAppBag(bag)).toThrow(
      `ingress: requirer application bag, key '${key}': ${message}`,
    );
  });
});

describe('readIngressRequirerUnitBag', () => {
  it('reads host and ip, as written', () => {
    const unit = { host: 'h.svc', ip: '10.0.0.7' };
    expect(readIngressRequirerUnitBag(ingressRequirerUnitBag(unit))).toEqual(unit);
    expect(readIngressRequirerUnitBag({ host: '"h"', ip: 'null' })).toEqual({ host: 'h' });
  });

  it('refuses a missing host and a bad ip', () => {
    expect(() => readIngressRequirerUnitBag({ ip: '"10.0.0.7"' })).toThrow(
      "ingress: requirer unit bag, key 'host': is missing",
    );
    expect(() => readIngressRequirerUnitBag({ host: '"h"', ip: '"256.0.0.1"' })).toThrow(
      "key 'ip': must be an IPv4 or IPv6 address",
    );
  });
});

describe('ingressProviderAppBag', () => {
  it('answers with the URL, or nothing', () => {
    expect(ingressProviderAppBag('http://gw.example/m-a')).toEqual({
      ingress: '{"url": "http://gw.example/m-a"}',
    });
    expect(ingressProviderAppBag(undefined)).toEqual({});
    expect(() => ingressProviderAppBag('gw.example/m-a')).toThrow("key 'ingress.url'");
  });
});
