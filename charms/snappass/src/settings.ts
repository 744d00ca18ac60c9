/**
 * The charm's config, checked and turned into SnapPass's environment (snappass 1.6.2 reads
 * `NO_SSL`, `URL_PREFIX` and `HOST_OVERRIDE` from its environment when it starts).
 * @module
 */
import type { Config } from './charmcraft.generated.ts';

/** Valid settings for the snappass service. */
export interface Settings {
  readonly noSsl: boolean;
  /** Without leading and trailing slashes; empty for none. */
  readonly urlPrefix: string;
  /** `host` or `host:port`; empty for none. */
  readonly hostOverride: string;
}

/** A config value the charm refuses, and why: shown as the blocked status. */
export interface ConfigProblem {
  readonly key: keyof Config;
  readonly message: string;
}

const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Checks the config and returns the settings, or the first problem (naming the key and what
 * would fix it). Never throws.
 */
export function readSettings(config: Config): Settings | ConfigProblem {
  const prefix = checkUrlPrefix(config['url-prefix'].trim());
  if (typeof prefix !== 'string') return prefix;
  const host = checkHostOverride(config['host-override'].trim());
  if (typeof host !== 'string') return host;
  return { noSsl: config['no-ssl'], urlPrefix: prefix, hostOverride: host };
}

/** True when `value` is a problem rather than settings. */
export function isProblem(value: Settings | ConfigProblem): value is ConfigProblem {
  return 'key' in value;
}

function checkUrlPrefix(raw: string): string | ConfigProblem {
  const path = raw.replace(/^\/+|\/+$/g, '');
  if (path === '') return '';
  const bad = path.split('/').find((segment) => !SEGMENT.test(segment));
  if (bad === undefined) return path;
  return {
    key: 'url-prefix',
    message: `url-prefix ${JSON.stringify(raw)} is not a URL path: use letters, digits and -._~ in /-separated segments, e.g. /snappass`,
  };
}

function checkHostOverride(raw: string): string | ConfigProblem {
  if (raw === '') return '';
  const problem = {
    key: 'host-override' as const,
    message: `host-override ${JSON.stringify(raw)} is not a host name with an optional port, e.g. secrets.example.com:8443`,
  };
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(raw);
  if (!match) return problem;
  const [, host = '', port] = match;
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) return problem;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return problem;
  return raw;
}
