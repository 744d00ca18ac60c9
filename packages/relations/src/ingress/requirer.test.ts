import { describe, expect, it } from 'vitest';
import { RelationDataError } from '../errors.ts';
import {
  ingressRequirerAppBag,
  ingressRequirerUnitBag,
  readIngressProviderAppBag,
} from './requirer.ts';
import { ingressUnitHost } from './schema.ts';

function refusal(run: () => unknown): RelationDataError {
  try {
    run();
  } catch (error) {
    if (error instanceof RelationDataError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('ingressRequirerAppBag', () => {
  it('writes model, name and port, and no key left at its default', () => {
    expect(ingressRequirerAppBag({ model: 'demo', name: 'hello', port: 8080 })).toEqual({
      model: '"demo"',
      name: '"hello"',
      port: '8080',
    });
    expect(
      ingressRequirerAppBag({
        model: 'demo',
        name: 'hello',
        port: 8080,
        isPortOpen: false,
        stripPrefix: false,
        redirectHttps: false,
        scheme: 'http',
      }),
    ).toEqual({ model: '"demo"', name: '"hello"', port: '8080' });
  });

  it('writes every key that differs from its default', () => {
    expect(
      ingressRequirerAppBag({
        model: 'demo',
        name: 'hello',
        port: 443,
        isPortOpen: true,
        stripPrefix: true,
        redirectHttps: true,
        scheme: 'https',
        healthcheck: { path: '/healthz', port: 9000, interval: '30s', timeout: '2s' },
      }),
    ).toEqual({
      model: '"demo"',
      name: '"hello"',
      port: '443',
      is_port_open: 'true',
      healthcheck_params: '{"path": "/healthz", "port": 9000, "timeout": "2s"}',
      'strip-prefix': 'true',
      'redirect-https': 'true',
      scheme: '"https"',
    });
  });

  it.each([
    [{ port: 0 }, 'port', 'must be an integer from 1 to 65534, not 0'],
    [{ port: 65535 }, 'port', 'must be an integer from 1 to 65534, not 65535'],
    [{ port: 80.5 }, 'port', 'must be an integer from 1 to 65534, not 80.5'],
    [{ port: 80, scheme: 'ftp' }, 'scheme', 'must be one of http, https, h2c, not ftp'],
    [{ port: 80, healthcheck: { path: '' } }, 'healthcheck_params.path', 'must not be empty'],
  ])('refuses %j, naming the key', (extra, key, message) => {
    const error = refusal(() =>
      ingressRequirerAppBag({ model: 'm', name: 'n', ...(extra as { port: number }) }),
    );
    expect(error).toMatchObject({ code: 'BAD_VALUE', bag: 'requirer application bag', key });
    expect(error.message).toBe(`ingress: requirer application bag, key '${key}': ${message}`);
  });
});

describe('ingressRequirerUnitBag', () => {
  it('writes host, and ip when known', () => {
    expect(ingressRequirerUnitBag({ host: 'h.svc', ip: '10.1.2.3' })).toEqual({
      host: '"h.svc"',
      ip: '"10.1.2.3"',
    });
    expect(ingressRequirerUnitBag({ host: 'h.svc', ip: 'fd00::1' }).ip).toBe('"fd00::1"');
    expect(ingressRequirerUnitBag({ host: 'h.svc' })).toEqual({ host: '"h.svc"' });
  });

  it('refuses an empty host and an ip that is not an address', () => {
    expect(refusal(() => ingressRequirerUnitBag({ host: '' })).key).toBe('host');
    expect(refusal(() => ingressRequirerUnitBag({ host: 'h', ip: '10.1.2' })).message).toBe(
      "ingress: requirer unit bag, key 'ip': must be an IPv4 or IPv6 address, not 10.1.2",
    );
  });

  it("names the unit as Kubernetes' DNS does", () => {
    expect(ingressUnitHost('hello-kubecon/1', 'demo')).toBe(
      'hello-kubecon-1.hello-kubecon-endpoints.demo.svc.cluster.local',
    );
  });
});

describe('readIngressProviderAppBag', () => {
  it('is not ready without an answer, and with ingress: null', () => {
    expect(readIngressProviderAppBag({})).toBeUndefined();
    expect(readIngressProviderAppBag({ other: 'not json, not read' })).toBeUndefined();
    expect(readIngressProviderAppBag({ ingress: 'null' })).toBeUndefined();
  });

  it('reads the URL, normalised as pydantic prints it', () => {
    expect(readIngressProviderAppBag({ ingress: '{"url": "http://gw/demo-hello"}' })).toEqual({
      url: 'http://gw/demo-hello',
    });
    expect(readIngressProviderAppBag({ ingress: '{"url": "HTTPS://GW.example"}' })).toEqual({
      url: 'https://gw.example/',
    });
  });

  it.each([
    ['http://gw/x', 'NOT_JSON', 'ingress', 'is not JSON: "http://gw/x"'],
    ['"http://gw/x"', 'BAD_VALUE', 'ingress', 'must be an object with a url, not "http://gw/x"'],
    ['{"uri": "http://gw"}', 'MISSING_KEY', 'ingress.url', 'is missing'],
    ['{"url": null}', 'BAD_VALUE', 'ingress.url', 'must be a URL string, not null'],
    ['{"url": "ftp://gw/x"}', 'BAD_VALUE', 'ingress.url', 'must be an http or https URL'],
    ['{"url": "http://"}', 'BAD_VALUE', 'ingress.url', 'must be an http or https URL with a host'],
  ])('refuses ingress=%s, naming bag and key', (raw, code, key, message) => {
    const error = refusal(() => readIngressProviderAppBag({ ingress: raw }));
    expect(error).toMatchObject({ code, bag: 'provider application bag', key });
    expect(error.message).toContain(`ingress: provider application bag, key '${key}': ${message}`);
  });
});
