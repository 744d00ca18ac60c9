/**
 * `SnappassCharm`: SnapPass and its redis in one pod, reconciled as a whole on every event.
 * @module
 */
import { ChangeError, Charm, type Container, type Layer, Status } from '@charm-ts/ops';
import type { Types } from './charmcraft.generated.ts';
import { REDIS_PING, redisLayer, SNAPPASS_PORT, snappassLayer } from './layers.ts';
import { secretKey } from './secret-key.ts';
import { isProblem, readSettings } from './settings.ts';

/** How long `redis-cli ping` may take before redis counts as not answering. */
const PING_TIMEOUT_MS = 5000;

/**
 * Starts redis, then SnapPass once redis answers (Pebble's `after` cannot order services of
 * two containers). Re-running with nothing changed restarts nothing. Statuses go through
 * collect-status: blocked on bad config, waiting for Pebble / redis / the secret key, active.
 */
export class SnappassCharm extends Charm<Types> {
  override async reconcile(): Promise<void> {
    const settings = readSettings(await this.config());
    if (isProblem(settings)) this.addStatus(Status.blocked(settings.message));

    const redis = this.unit.container('redis');
    if (!(await redis.canConnect())) {
      this.addStatus(Status.waiting('waiting for Pebble in the redis container'));
      return;
    }
    const redisStarted = await startLayer(redis, 'redis', redisLayer());
    if (redisStarted === undefined) {
      this.addStatus(Status.waiting('waiting for redis: it exited at start, Pebble restarts it'));
      return;
    }
    if (!(await answers(redis))) {
      this.addStatus(Status.waiting('waiting for redis'));
      return;
    }

    const snappass = this.unit.container('snappass');
    if (!(await snappass.canConnect())) {
      this.addStatus(Status.waiting('waiting for Pebble in the snappass container'));
      return;
    }
    // Bad config leaves a running SnapPass as it is: blocked says what to fix.
    if (isProblem(settings)) return;
    const secret = await secretKey(this.model);
    if ('waiting' in secret) {
      this.addStatus(Status.waiting(secret.waiting));
      return;
    }
    const snappassStarted = await startLayer(
      snappass,
      'snappass',
      snappassLayer(settings, secret.key),
    );
    if (snappassStarted === undefined) {
      this.addStatus(
        Status.waiting('waiting for snappass: it exited at start, Pebble restarts it'),
      );
      return;
    }
    await this.unit.setPorts([SNAPPASS_PORT]);
    const message = snappassStarted ? 'snappass started' : redisStarted ? 'redis started' : '';
    this.addStatus(Status.active(message));
  }
}

/**
 * Adds (or updates) the layer and replans: Pebble restarts only services whose definition
 * changed. True when a service of the layer was started or restarted; undefined when one exited at start
 * (Pebble's replan change failed: Pebble keeps restarting it with back-off, and a later event
 * sees the outcome). Throws Pebble's other errors.
 */
async function startLayer(
  container: Container,
  label: string,
  layer: Layer,
): Promise<boolean | undefined> {
  try {
    const { started } = await container.applyLayer(label, layer);
    return Object.keys(layer.services ?? {}).some((name) => started.includes(name));
  } catch (error) {
    // Its message carries the service's last output: not for the status, nor the log.
    if (error instanceof ChangeError) return undefined;
    throw error;
  }
}

/** True when redis answers `PONG`; any failure (no Pebble, no redis, timeout) is false. */
async function answers(redis: Container): Promise<boolean> {
  try {
    const { stdout } = await redis.exec(REDIS_PING, { timeoutMs: PING_TIMEOUT_MS });
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}
