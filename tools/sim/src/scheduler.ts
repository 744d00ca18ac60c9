/**
 * The scheduler: runs the hooks queued on each unit in Juju's order, records failures, and
 * turns Pebble notices and secret timers into more hooks until the model is quiet.
 * @module
 */
import { SimError } from './errors.ts';
import { runDispatch } from './hook-runner.ts';
import {
  type AppState,
  type ModelState,
  type QueuedHook,
  status,
  type UnitState,
} from './model.ts';
import { revivePod, UnitPaths } from './pod.ts';
import { killGroup, runsUnder } from './processes.ts';
import { queueDueSecretEvents } from './secret-timers.ts';
import { type PodHost, provisionUnit, swapCharm, teardown } from './unit-lifecycle.ts';
import { pollWorkloads } from './workload-events.ts';

/** A hook that failed or timed out during a command. */
export interface HookProblem {
  readonly unit: string;
  readonly hook: string;
  readonly message: string;
}

/** What the scheduler needs from the simulator. */
export interface SchedulerHost extends PodHost {
  /** Records a hook failure for `takeProblems()`. */
  problem(problem: HookProblem): void;
  /** True once `destroy` began: no hook may start any more. */
  readonly destroying: boolean;
}

/**
 * Once per process, before anything runs: re-queues a hook a killed charm-sim left half done
 * (its sandbox killed, if it outlived that charm-sim), makes the pods a killed charm-sim left
 * half made, and restarts pods and containers that are gone (as Kubernetes would).
 */
export async function reviveAll(host: SchedulerHost): Promise<void> {
  for (const unit of Object.values(host.model.units)) {
    if (unit.hookPid !== undefined) {
      const root = new UnitPaths(host.stateDir, unit.name).root;
      if (runsUnder(unit.hookPid, root)) killGroup(unit.hookPid);
      delete unit.hookPid;
    }
    if (unit.running) {
      host.progress(`${unit.name} was interrupted in ${unit.running.hook}: running it again`);
      unit.queue.unshift(unit.running);
      delete unit.running;
      unit.agentStatus = status('idle');
    }
    const app = host.model.apps[unit.app] as AppState;
    if (unit.provisioned === false) {
      if (unit.dying) continue;
      host.progress(`${unit.name} has no pod yet (an earlier charm-sim stopped): making it`);
      try {
        await provisionUnit(host, app, unit);
      } catch (error) {
        if (!(error instanceof SimError)) throw error;
        // Reported, not thrown: the other units carry on, and remove-unit still works.
        unit.agentStatus = status('error', error.message);
        host.problem({ unit: unit.name, hook: 'pod', message: error.message });
      }
      continue;
    }
    const bins = host.bins();
    const { bridge, subnet } = host.model;
    const save = () => host.save();
    for (const name of await revivePod(bins, host.stateDir, bridge, subnet, app, unit, save)) {
      host.progress(`restarted container ${name} of ${unit.name}`);
    }
  }
}

/**
 * Runs queued hooks round-robin, one per unit per round, until every queue is empty or
 * blocked by an error; then asks the clock (secrets) and the Pebbles (notices, readiness) for
 * more, and goes on until nothing new comes.
 * @throws SimError `MODEL_DESTROYED` when `destroy` began meanwhile (before the next hook).
 */
export async function settle(host: SchedulerHost): Promise<void> {
  for (;;) {
    let ran = false;
    for (const name of Object.keys(host.model.units)) {
      stopIfDestroying(host);
      const unit = host.model.units[name];
      if (!unit || unit.failedHook || unit.queue.length === 0) continue;
      // A unit whose pod is not made keeps its queue until it is; one removed before that
      // has no hooks to run.
      if (unit.provisioned === false) {
        if (!unit.dying) continue;
        unit.queue = [];
        await teardown(host, host.model.apps[unit.app] as AppState, unit);
        ran = true;
        continue;
      }
      const hook = unit.queue.shift() as QueuedHook;
      // Remembered until it ends, so a charm-sim killed mid-hook runs it again next time.
      unit.running = hook;
      host.save();
      await runQueued(host, unit, hook);
      delete unit.running;
      ran = true;
    }
    stopIfDestroying(host);
    collectRelations(host.model);
    if (ran) continue;
    const secrets = queueDueSecretEvents(host.model, Date.now());
    if (!(await pollWorkloads(host.model, host.stateDir)) && !secrets) break;
  }
  host.save();
}

function stopIfDestroying(host: SchedulerHost): void {
  if (host.destroying) {
    throw new SimError(
      'MODEL_DESTROYED',
      'the model was destroyed while this command ran: its remaining hooks did not run',
    );
  }
}

/** Forgets relations whose last hooks ran, and data of units no queued hook names. */
function collectRelations(model: ModelState): void {
  const units = Object.values(model.units);
  for (const rel of Object.values(model.relations)) {
    for (const gone of Object.keys(rel.unitData)) {
      if (model.units[gone]) continue;
      const named = units.some(
        (u) => u.failedHook?.remoteUnit === gone || u.queue.some((q) => q.remoteUnit === gone),
      );
      if (!named) delete rel.unitData[gone];
    }
    if (!rel.dying) continue;
    const pending = Object.values(model.units).some(
      (u) => u.failedHook?.relationId === rel.id || u.queue.some((q) => q.relationId === rel.id),
    );
    if (!pending) {
      delete model.relations[String(rel.id)];
      for (const secret of Object.values(model.secrets)) {
        secret.grants = secret.grants.filter((g) => g.relationId !== rel.id);
      }
    }
  }
}

async function runQueued(host: SchedulerHost, unit: UnitState, hook: QueuedHook): Promise<void> {
  const app = host.model.apps[unit.app] as AppState;
  if (hook.hook === '@swap-charm') return swapCharm(host, app, unit);
  if (hook.hook === '@teardown') return teardown(host, app, unit);
  const rel =
    hook.relationId === undefined ? undefined : host.model.relations[String(hook.relationId)];
  if (hook.relationId !== undefined && !rel) return;
  if (rel && hook.hook.endsWith('-relation-created')) {
    if (!rel.created.includes(unit.name)) rel.created.push(unit.name);
  }
  if (rel && hook.hook.endsWith('-relation-joined') && hook.remoteUnit) {
    const members = rel.members[unit.name] ?? [];
    rel.members[unit.name] = members;
    if (!members.includes(hook.remoteUnit)) members.push(hook.remoteUnit);
  }
  host.progress(`running ${hook.hook} on ${unit.name}`);
  const result = await runDispatch(host, unit, { kind: 'hook', hook });
  if (result.code === 0 && !result.timedOut) {
    if (hook.hook === 'install') unit.installed = true;
    if (hook.hook === 'start') {
      unit.started = true;
      if (
        unit.workloadStatus.status === 'waiting' &&
        unit.workloadStatus.message === 'installing agent'
      ) {
        unit.workloadStatus = status('unknown');
      }
    }
    // As Juju's relationer, the departed unit leaves this unit's scope when the hook commits
    // (during the hook, relation-list already leaves it out).
    if (rel && hook.hook.endsWith('-relation-departed') && hook.remoteUnit) {
      rel.members[unit.name] = (rel.members[unit.name] ?? []).filter((u) => u !== hook.remoteUnit);
    }
    if (rel && hook.hook.endsWith('-relation-broken')) {
      rel.created = rel.created.filter((u) => u !== unit.name);
      delete rel.members[unit.name];
    }
    return;
  }
  const why = result.timedOut
    ? `hook "${hook.hook}" timed out after ${host.hookTimeoutMs / 1000}s: fix the hook or raise --hook-timeout, then charm-sim resolve ${unit.name}`
    : `hook "${hook.hook}" failed (exit ${result.code ?? result.signal}): see charm-sim debug-log --include ${unit.name}, then charm-sim resolve ${unit.name}`;
  unit.failedHook = hook;
  unit.errorMessage = `hook failed: "${hook.hook}"`;
  unit.statusBeforeError = unit.workloadStatus;
  unit.workloadStatus = status('error', unit.errorMessage);
  unit.agentStatus = status('error', unit.errorMessage);
  host.log(unit.name, 'ERROR', `juju.worker.uniter.operation ${why}`);
  host.problem({ unit: unit.name, hook: hook.hook, message: why });
}
