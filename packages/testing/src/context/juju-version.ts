/**
 * The consistency check's part about Juju versions: a State or event the Context's Juju version
 * (`ContextOptions.jujuVersion`) could not produce, asked of ops' `JujuVersion` feature queries
 * so the two never disagree. Each error names the field and the version that would do.
 * @module
 */
import { type CharmRuntimeMeta, JujuVersion } from '@charm-ts/ops';
import { InconsistentStateError } from '../errors.ts';
import type { State } from '../state/types.ts';
import type { EventSpec } from './events.ts';

/** Events a Juju version may not send: the hook suffix, the feature, the version it came in. */
const VERSIONED_EVENTS: ReadonlyArray<[RegExp, (v: JujuVersion) => boolean, string]> = [
  [/-pebble-custom-notice$/, (v) => v.hasCustomNotices, 'Juju 3.4 or later'],
  [/-pebble-check-(failed|recovered)$/, (v) => v.hasCheckEvents, 'Juju 3.6 or later'],
  [/^secret-/, (v) => v.hasSecrets, 'Juju 3.0.3 or later'],
  [/^leader-settings-changed$/, (v) => v.hasLeaderSettings, 'a Juju before 4.0'],
];

/** Throws InconsistentStateError when Juju `text` could not have produced `state` or `event`. */
export function checkJujuVersion(
  meta: CharmRuntimeMeta,
  state: State,
  event: EventSpec,
  text: string,
): void {
  const version = new JujuVersion(text);
  const running = `the Context runs Juju ${version} (ContextOptions.jujuVersion)`;
  const hook = event.path.startsWith('hooks/') ? event.path.slice(6) : '';
  for (const [pattern, has, needs] of VERSIONED_EVENTS) {
    if (pattern.test(hook) && !has(version)) {
      throw new InconsistentStateError('event', `${hook} is sent by ${needs}; ${running}`);
    }
  }
  if (state.secrets.length > 0 && !version.hasSecrets) {
    throw new InconsistentStateError(
      'state.secrets[0]',
      `secrets need Juju 3.0.3 or later; ${running}`,
    );
  }
  for (const key of Object.keys(state.config)) {
    // A secret option holds a user secret: those came in Juju 3.3.
    if (meta.config[key]?.type === 'secret' && !version.atLeast('3.3')) {
      throw new InconsistentStateError(
        `state.config.${key}`,
        `a secret config option (a user secret) needs Juju 3.3 or later; ${running}`,
      );
    }
  }
  if (state.openedPorts.length > 0 && !version.supportsOpenPortOnK8s) {
    throw new InconsistentStateError(
      'state.openedPorts',
      `ports on a Kubernetes model need Juju 3.0.3 or later; ${running}`,
    );
  }
}
