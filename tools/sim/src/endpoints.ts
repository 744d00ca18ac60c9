/**
 * Matching `app[:endpoint]` pairs for integrate/remove-relation: one side provides, the other
 * requires, and both speak the same interface.
 * @module
 */
import type { EndpointRole } from '@charm-ts/ops/metadata';
import { charmEndpoints } from './charm.ts';
import { SimError } from './errors.ts';
import type { AppState } from './model.ts';

/** One side of a relation to make. */
export interface MatchedEndpoint {
  readonly app: string;
  readonly endpoint: string;
  readonly role: EndpointRole;
  readonly interface: string;
}

/**
 * Finds the endpoints to relate for `a` and `b` (`app` or `app:endpoint`).
 * @throws SimError `UNKNOWN_APP` (from `lookup`), `UNKNOWN_ENDPOINT` for an endpoint the charm
 * does not declare, or when no provides/requires pair shares an interface.
 */
export function matchEndpoints(
  lookup: (app: string) => AppState,
  a: string,
  b: string,
): readonly [MatchedEndpoint, MatchedEndpoint] {
  const parse = (spec: string): MatchedEndpoint[] => {
    const [appName, endpoint] = spec.split(':') as [string, string | undefined];
    const app = lookup(appName);
    const all = charmEndpoints(app.charm);
    const candidates = all.filter(
      (e) => e.role !== 'peers' && (endpoint === undefined || e.name === endpoint),
    );
    if (endpoint !== undefined && candidates.length === 0) {
      const known = all.map((e) => e.name).join(', ') || '(none)';
      throw new SimError(
        'UNKNOWN_ENDPOINT',
        `application "${appName}" has no endpoint "${endpoint}": known endpoints: ${known}`,
      );
    }
    return candidates.map((e) => ({
      app: appName,
      endpoint: e.name,
      role: e.role,
      interface: e.interface,
    }));
  };
  const lefts = parse(a);
  const rights = parse(b);
  for (const l of lefts) {
    for (const r of rights) {
      const roles = new Set([l.role, r.role]);
      if (l.interface === r.interface && roles.has('provides') && roles.has('requires'))
        return [l, r] as const;
    }
  }
  throw new SimError(
    'UNKNOWN_ENDPOINT',
    `no matching endpoints between ${a} and ${b}: a provides and a requires endpoint with one interface are needed`,
  );
}
