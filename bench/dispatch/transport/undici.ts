// undici's Agent + request API directly, the deep modules @charm-ts/pebble loads.

import request from 'undici/lib/api/api-request.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import { type Send, socketPath, threeRequests } from './common.ts';

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
void threeRequests(send).then(() => agent.close());
