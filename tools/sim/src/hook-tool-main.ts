/**
 * The hook-tool client in Node.js (bundled to dist/hook-tool.cjs): the fallback for a machine
 * with no C compiler when charm-sim was built (native/hook-tool.c is the same client compiled,
 * and what the tools run when it is there). Each tool on the charm's PATH is then a shell shim
 * that runs `node hook-tool.cjs <tool> <args…>`; this sends the call to the simulator over the
 * unit's agent socket (hook-wire.ts) and prints what it answers.
 * @module
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { decodeAnswer, encodeRequest } from './hook-wire.ts';

const [tool = '', ...args] = process.argv.slice(2);

function fail(message: string): never {
  process.stderr.write(`ERROR ${message}\n`);
  process.exit(1);
}

const socket = process.env.JUJU_AGENT_SOCKET_ADDRESS;
if (!socket) fail(`${tool}: JUJU_AGENT_SOCKET_ADDRESS is not set (run inside a hook)`);

function read(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    return fail(`${tool}: cannot read ${file}: ${(error as Error).message}`);
  }
}

// `--file PATH|-` and `key#file=PATH` (secret-add/-set) name files only the charm container
// can see: they are read here, and sent as stdin (`--file -`) or inline values.
let stdin: string | undefined;
const sent: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  const file = arg === '--file' ? args[++i] : arg.startsWith('--file=') ? arg.slice(7) : undefined;
  if (file !== undefined) {
    stdin = read(file);
    sent.push('--file', '-');
    continue;
  }
  const inline = /^([^=#]+)#file=(.+)$/.exec(arg);
  if (inline && tool.startsWith('secret-')) {
    sent.push(`${inline[1]}=${read(inline[2] as string)}`);
    continue;
  }
  sent.push(arg);
}

const conn = connect(socket);
const chunks: Buffer[] = [];
conn.on('data', (chunk) => chunks.push(chunk));
conn.on('error', (error) =>
  fail(`cannot reach the charm-sim agent at ${socket}: ${error.message}`),
);
conn.on('end', () => {
  let reply: ReturnType<typeof decodeAnswer>;
  try {
    reply = decodeAnswer(Buffer.concat(chunks));
  } catch {
    fail(`${tool}: the charm-sim agent at ${socket} sent a malformed answer`);
  }
  process.stdout.write(reply.stdout);
  process.stderr.write(reply.stderr);
  process.exitCode = reply.code;
});
conn.end(
  encodeRequest({ contextId: process.env.JUJU_CONTEXT_ID, command: tool, args: sent, stdin }),
);
