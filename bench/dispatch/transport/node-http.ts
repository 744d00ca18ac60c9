// The floor: node:http with a keep-alive Agent on the socket, nothing else loaded.
import { Agent, request } from 'node:http';
import { type Send, socketPath, threeRequests } from './common.ts';

const agent = new Agent({ keepAlive: true });
const send: Send = (method, path, body) =>
  new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
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
void threeRequests(send).then(() => agent.destroy());
