/**
 * `simHookHost`: what @charm-ts/juju-model asks of the simulator while a unit runs a hook: the
 * clock, the unit's log, saving immediate changes (and telling the other units of new leader
 * settings), the pod's network and storage, uploaded resources.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CREDENTIAL_DENIED,
  declaredStorage,
  type HookHost,
  newSecretId,
  resourceNotFound,
  runError,
} from '@charm-ts/juju-model';
import type { AppState, ModelState, UnitState } from '../model.ts';

/** What the host needs from the simulator. */
export interface SimHostOptions {
  readonly model: ModelState;
  readonly unit: UnitState;
  readonly app: AppState;
  /** Writes a line to the unit's log at once. */
  log(level: string, message: string): void;
  /** Persists the model (after status-set, application-version-set, leader-set). */
  save(): void;
  /** Queues leader-settings-changed on the other units. */
  leaderSettingsChanged(): void;
  /** The unit's agent directory inside the charm container. */
  readonly agentDir: string;
  /** The host directory that appears as `agentDir` inside the charm container. */
  readonly hostAgentDir: string;
}

/** The HookHost of one unit's hook in the simulator. */
export function simHookHost(o: SimHostOptions): HookHost {
  const { model, unit, app } = o;
  return {
    now: () => Date.now(),
    log: (level, message) => o.log(level, message),
    changed: (what) => {
      const since = new Date().toISOString();
      if (what === 'unit-status') unit.workloadStatus.since = since;
      if (what === 'app-status' && app.status) app.status.since = since;
      o.save();
      if (what === 'leader-settings') o.leaderSettingsChanged();
    },
    network: () => ({
      bindAddresses: [
        {
          macAddress: '',
          interfaceName: 'eth0',
          addresses: [{ hostname: '', value: unit.address, cidr: `${model.subnet}.0/24` }],
        },
      ],
      egressSubnets: [`${unit.address}/32`],
      ingressAddresses: [unit.address],
    }),
    extraBindings: [],
    storage: () => declaredStorage(app.charm),
    resource: (name) => {
      const spec = app.charm.resources[name];
      if (!spec) throw runError(resourceNotFound(app.name, name));
      const file = spec.filename ?? (spec.type === 'oci-image' ? 'content' : name);
      const rel = join('resources', name, file);
      if (!existsSync(join(o.hostAgentDir, rel))) {
        throw runError(
          `could not download resource: resource#${app.name}/${name} not uploaded: deploy with --resource ${name}=PATH`,
        );
      }
      return join(o.agentDir, rel);
    },
    credential: () => {
      throw runError(CREDENTIAL_DENIED);
    },
    newSecretId,
  };
}
