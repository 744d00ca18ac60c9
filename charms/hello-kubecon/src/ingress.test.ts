import { describe, expect, it } from 'vitest';
import { parseProviderData, requirerAppData, requirerUnitData, unitHost } from './ingress.ts';

describe('ingress v2 requirer data', () => {
  it('JSON-encodes every value, as the traefik-k8s library does', () => {
    expect(requirerAppData({ app: 'hello-kubecon', model: 'demo', port: 8080 })).toEqual({
      model: '"demo"',
      name: '"hello-kubecon"',
      port: '8080',
      'strip-prefix': 'true',
      'redirect-https': 'false',
      scheme: '"http"',
    });
    expect(requirerUnitData('h.svc', '10.1.2.3')).toEqual({ host: '"h.svc"', ip: '"10.1.2.3"' });
    expect(requirerUnitData('h.svc', undefined)).toEqual({ host: '"h.svc"' });
  });

  it('names the unit as Kubernetes does', () => {
    expect(unitHost('hello-kubecon/1', 'demo')).toBe(
      'hello-kubecon-1.hello-kubecon-endpoints.demo.svc.cluster.local',
    );
  });

  it('reads the provider answer, and says why a bad one is unreadable', () => {
    expect(parseProviderData({})).toEqual({ state: 'pending' });
    expect(parseProviderData({ ingress: '{"url": "http://gw/demo-hello-kubecon"}' })).toEqual({
      state: 'ready',
      url: 'http://gw/demo-hello-kubecon',
    });
    expect(parseProviderData({ ingress: 'http://gw/x' })).toMatchObject({ state: 'invalid' });
    expect(parseProviderData({ ingress: '{"uri": "x"}' })).toMatchObject({ state: 'invalid' });
    expect(parseProviderData({ ingress: '{"url": "ftp://x"}' })).toMatchObject({
      state: 'invalid',
    });
  });
});
