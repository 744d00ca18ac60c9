/**
 * Containers of a run: a MemoryPebble per container built from the State (layers, service
 * statuses, files, exec handlers, checks, notices), and read back into the output State.
 * @module
 */
import type { Pebble } from '@charm-ts/pebble';
import { MemoryPebble } from '../pebble/memory-pebble.ts';
import type { ContainerOutput, ContainerState, FileState } from '../state/types.ts';

function isFileState(value: string | Uint8Array | FileState): value is FileState {
  return typeof value === 'object' && !(value instanceof Uint8Array);
}

/** Builds the Pebble of `container` as the State describes it. */
export async function buildPebble(container: ContainerState): Promise<MemoryPebble> {
  const pebble = new MemoryPebble({
    socketPath: `/charm/containers/${container.name}/pebble.socket`,
    layers: container.layers as Record<string, never>,
    execs: container.execs,
    ...(container.processes ? { processes: container.processes } : {}),
  });
  for (const [path, file] of Object.entries(container.files)) {
    const spec = isFileState(file) ? file : { content: file };
    const { content, ...ownership } = spec;
    pebble.files.write(path, Buffer.from(content), { ...ownership, makeDirs: true });
  }
  for (const [name, status] of Object.entries(container.serviceStatuses)) {
    pebble.seedServiceStatus(name, status);
  }
  for (const [name, check] of Object.entries(container.checks)) {
    if (check.status === 'down') pebble.failCheck(name, check.error);
    else if (check.error !== undefined) pebble.setCheckResult(name, check.error);
  }
  for (const notice of container.notices) {
    await pebble.notify(notice.key, notice.data ? { data: { ...notice.data } } : {});
  }
  pebble.setCanConnect(container.canConnect);
  return pebble;
}

/** A declared container absent from the State: its Pebble never answers. */
export function unreachablePebble(name: string): Pebble {
  return new MemoryPebble({
    canConnect: false,
    socketPath: `/charm/containers/${name}/pebble.socket`,
  });
}

/** Reads a container back after the event. */
export async function readContainer(
  input: ContainerState,
  pebble: MemoryPebble,
): Promise<ContainerOutput> {
  pebble.close();
  const connected = await pebble.canConnect();
  pebble.setCanConnect(true);
  const services = await pebble.listServices();
  const checkInfos = await pebble.listChecks();
  const noticeList = await pebble.listNotices({ types: ['custom'] });
  const files: Record<string, string> = {};
  for (const [path, content] of Object.entries(pebble.files.dump()))
    files[path] = content.toString('utf8');
  const layers = Object.fromEntries(pebble.layers.map((l) => [l.label, l.layer]));
  const output: ContainerOutput = {
    ...input,
    canConnect: connected,
    layers,
    plan: await pebble.getPlan(),
    serviceStatuses: Object.fromEntries(services.map((s) => [s.name, s.current])),
    files,
    checks: Object.fromEntries(
      checkInfos.map((c) => [c.name, { status: c.status === 'down' ? 'down' : 'up' }]),
    ),
    checkInfos,
    notices: noticeList.map((n) => ({ key: n.key, data: n.lastData })),
    noticeList,
    execHistory: pebble.execHistory,
  };
  pebble.setCanConnect(connected);
  return output;
}
