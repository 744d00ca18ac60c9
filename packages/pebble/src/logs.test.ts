import { afterEach, describe, expect, it } from 'vitest';
import { error, type FakePebble, startFake } from '../test/fake-server.ts';
import { APIError } from './errors.ts';
import { logs, toLogEntry } from './logs.ts';
import { waitUntil } from './testing/wait.ts';
import type { LogEntry } from './types.ts';

let fake: FakePebble | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function line(message: string): string {
  return `${JSON.stringify({ time: '2026-07-22T10:00:00.5Z', service: 'svc', message: `${message}\n` })}\n`;
}

describe('logs', () => {
  it('reads ndjson split at any byte, including inside a multi-byte character', async () => {
    const body = Buffer.from(line('héllo') + line('wörld'));
    fake = await startFake({
      'GET /v1/logs': async (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        for (let i = 0; i < body.length; i += 3) {
          response.write(body.subarray(i, i + 3));
          await new Promise((resolve) => setImmediate(resolve));
        }
        response.end();
        return undefined;
      },
    });
    const entries: LogEntry[] = [];
    for await (const entry of logs(fake.rq, { services: ['svc'], n: 2 })) entries.push(entry);
    expect(entries.map((e) => e.message)).toEqual(['héllo', 'wörld']);
    expect(entries[0]?.time.toISOString()).toBe('2026-07-22T10:00:00.500Z');
    expect(fake.requests[0]?.query.toString()).toBe('services=svc&n=2');
  });

  it('closes the stream when the loop breaks', async () => {
    let closed = false;
    fake = await startFake({
      'GET /v1/logs': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        response.write(line('first'));
        response.on('close', () => {
          closed = true;
        });
        return undefined;
      },
    });
    for await (const entry of logs(fake.rq, { follow: true })) {
      expect(entry.message).toBe('first');
      break;
    }
    expect(fake.requests[0]?.query.get('follow')).toBe('true');
    await waitUntil('the server to see the followed log stream closed', () => closed);
  });

  it('throws the APIError Pebble sends before streaming', async () => {
    fake = await startFake({
      'GET /v1/logs': () => error(400, 'n must be -1, 0, or a positive integer'),
    });
    const iterate = async () => {
      for await (const _entry of logs(fake?.rq as never, { n: -5 })) {
        // Never reached.
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(APIError);
  });

  it('refuses a line that is not JSON', () => {
    expect(() => toLogEntry('not json')).toThrow('cannot read logs');
  });
});
