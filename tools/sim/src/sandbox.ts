/**
 * The argv that runs a command inside one container of a pod: join the pod's network
 * namespace, mount an overlay (host `/` read-only underneath, the container's writable layer on
 * top: the stand-in for an OCI image), then bubblewrap into it.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Binaries } from './binaries.ts';

/** A bind mount into the container. */
export interface Bind {
  readonly src: string;
  readonly dest: string;
  readonly readOnly?: boolean;
}

/** What a container is made of. */
export interface SandboxSpec {
  /** Network namespace name (`ip netns`). */
  readonly netns: string;
  /** Host directory holding the writable layer (`upper/`, `work/`, `root/`). */
  readonly layerDir: string;
  readonly hostname: string;
  readonly binds: readonly Bind[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly command: readonly string[];
  /** Kill the sandbox when the process that started it dies (hooks: yes; daemons: no). */
  readonly dieWithParent: boolean;
}

// Runs in a private mount namespace, so the overlay disappears with the container.
const MOUNT_OVERLAY =
  'mount -t overlay overlay -o "lowerdir=/,upperdir=$1,workdir=$2" "$3" || exit 125; shift 3; exec "$@"';

/** Builds the full argv for `spec` (creating the layer's directories). */
export function sandboxArgv(bins: Binaries, spec: SandboxSpec): string[] {
  const upper = join(spec.layerDir, 'upper');
  const work = join(spec.layerDir, 'work');
  const root = join(spec.layerDir, 'root');
  for (const dir of [upper, work, root]) mkdirSync(dir, { recursive: true });
  const bwrap = [
    bins.bwrap,
    '--bind',
    root,
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname',
    spec.hostname,
    ...(spec.dieWithParent ? ['--die-with-parent'] : []),
  ];
  for (const bind of spec.binds) {
    bwrap.push(bind.readOnly ? '--ro-bind' : '--bind', bind.src, bind.dest);
  }
  bwrap.push('--clearenv');
  for (const [key, value] of Object.entries(spec.env)) bwrap.push('--setenv', key, value);
  bwrap.push('--chdir', spec.cwd, '--', ...spec.command);
  return [
    bins.nsenter,
    `--net=/run/netns/${spec.netns}`,
    '--',
    bins.unshare,
    '--mount',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    MOUNT_OVERLAY,
    'sandbox',
    upper,
    work,
    root,
    ...bwrap,
  ];
}
