/**
 * The hook-tool executable (bundled to dist/hook-tool.cjs). Each tool on the charm's PATH is a
 * shell shim that runs `node hook-tool.cjs <tool> <args…>`; this sends the call to the
 * simulator over the unit's agent socket and prints what it answers.
 * @module
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const [tool = '', ...args] = process.argv.slice(2);
const socket = process.env.JUJU_AGENT_SOCKET_ADDRESS;
if (!socket) {
  process.stderr.write(`ERROR ${tool}: JUJU_AGENT_SOCKET_ADDRESS is not set (run inside a hook)\n`);
  process.exit(1);
}

// `--file PATH|-` and `key#file=PATH` (secret-add/-set) name files only the charm container
// can see: they are read here, and sent as stdin (`--file -`) or inline values.
let stdin: string | undefined;
const sent: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  const file = arg === '--file' ? args[++i] : arg.startsWith('--file=') ? arg.slice(7) : undefined;
  if (file !== undefined) {
    stdin = readFileSync(file === '-' ? 0 : file, 'utf8');
    sent.push('--file', '-');
    continue;
  }
  const inline = /^([^=#]+)#file=(.+)$/.exec(arg);
  if (inline && tool.startsWith('secret-')) {
    sent.push(`${inline[1]}=${readFileSync(inline[2] as string, 'utf8')}`);
    continue;
  }
  sent.push(arg);
}

const conn = connect(socket);
const chunks: Buffer[] = [];
conn.on('data', (chunk) => chunks.push(chunk));
conn.on('error', (error) => {
  process.stderr.write(`ERROR cannot reach the charm-sim agent at ${socket}: ${error.message}\n`);
  process.exit(1);
});
conn.on('end', () => {
  const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    code: number;
    stdout: string;
    stderr: string;
  };
  process.stdout.write(reply.stdout);
  process.stderr.write(reply.stderr);
  process.exitCode = reply.code;
});
conn.end(
  `${JSON.stringify({ contextId: process.env.JUJU_CONTEXT_ID, command: tool, args: sent, stdin })}\n`,
);
