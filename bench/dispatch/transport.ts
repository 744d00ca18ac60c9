// The transport alone, in a fresh process per run (bench/dispatch's transport rows): the three
// requests of the benchmark charm's hook (add the layer, replan, wait for the change) over
//   pebble      @charm-ts/pebble's client (undici Agent + request, what charms use)
//   undici      undici's Agent + request API directly (the same deep modules the client loads)
//   node-http   node:http with a keep-alive Agent on the socket
// Usage: node transport.cjs pebble|undici|node-http <socket>. Like the charm runtime, V8 keeps
// WebAssembly (undici's llhttp) on its baseline tier: a hook is too short for the optimiser.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');

const [variant, socketPath] = process.argv.slice(2) as [string, string];
const layer = JSON.stringify({
  summary: 'web',
  services: { web: { override: 'replace', command: '/bin/sleep 3600', startup: 'enabled' } },
});
const addLayer = {
  action: 'add',
  combine: true,
  inner: false,
  label: 'web',
  format: 'yaml',
  layer,
};
const replan = { action: 'replan', services: [] };

type Send = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ change?: string }>;

async function viaUndici(): Promise<[Send, () => Promise<void>]> {
  const [{ default: Agent }, { default: request }] = await Promise.all([
    import('undici/lib/dispatcher/agent.js'),
    import('undici/lib/api/api-request.js'),
  ]);
  const agent = new Agent({ connect: { socketPath } });
  const send: Send = async (method, path, body) => {
    const response = await request.call(agent, {
      origin: 'http://localhost',
      path,
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return (await response.body.json()) as { change?: string };
  };
  return [send, () => agent.close()];
}

async function viaNodeHttp(): Promise<[Send, () => Promise<void>]> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true });
  const send: Send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          socketPath,
          agent,
          method,
          path,
          headers: text
            ? {
                host: 'localhost',
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(text),
              }
            : { host: 'localhost' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  return [send, async () => agent.destroy()];
}

async function main(): Promise<void> {
  if (variant === 'pebble') {
    const { PebbleClient } = await import('@charm-ts/pebble');
    const client = new PebbleClient({ socketPath });
    await client.addLayer('web', JSON.parse(layer), { combine: true });
    await client.replanServices();
    await client.close();
    return;
  }
  const [send, close] = variant === 'undici' ? await viaUndici() : await viaNodeHttp();
  await send('POST', '/v1/layers', addLayer);
  const { change } = await send('POST', '/v1/services', replan);
  await send('GET', `/v1/changes/${change}/wait?timeout=10s`);
  await close();
}

void main();
