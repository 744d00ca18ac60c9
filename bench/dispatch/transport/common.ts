// The transport rows of bench/dispatch: the hook's three Pebble requests (add the layer, replan,
// wait for the change), each variant a program of its own so that each loads only what it uses:
//   pebble.ts     @charm-ts/pebble's client (undici Agent + request, what charms use)
//   undici.ts     undici's Agent + request API directly (the same deep modules the client loads)
//   node-http.ts  node:http with a keep-alive Agent: the floor
// Usage: node <variant>.cjs <socket>. Like the charm runtime, V8 keeps WebAssembly (undici's
// llhttp) on its baseline tier: a hook is too short for the optimiser.
process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');

export const socketPath = process.argv[2] as string;
export const layer = {
  summary: 'web',
  services: { web: { override: 'replace', command: '/bin/sleep 3600', startup: 'enabled' } },
} as const;
export const addLayerBody = {
  action: 'add',
  combine: true,
  inner: false,
  label: 'web',
  format: 'yaml',
  layer: JSON.stringify(layer),
};
export const replanBody = { action: 'replan', services: [] };

export type Send = (
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) => Promise<{ change?: string }>;

/** The three requests of the hook over `send`. */
export async function threeRequests(send: Send): Promise<void> {
  await send('POST', '/v1/layers', addLayerBody);
  const { change } = await send('POST', '/v1/services', replanBody);
  await send('GET', `/v1/changes/${change}/wait?timeout=10s`);
}
