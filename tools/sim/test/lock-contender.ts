// One contender for a state directory's lock, run as its own process by lock-file.test.ts:
// says "ready", waits for "go" on stdin, tries once and says "held" or "locked"; a holder
// keeps the lock until stdin ends. Anything else it says is a failure.
import { lockStateDir } from '../src/store.ts';

const dir = process.argv[2] as string;
let release: (() => void) | undefined;
process.stdin.setEncoding('utf8');
process.stdin.once('data', () => {
  try {
    release = lockStateDir(dir);
    process.stdout.write('held\n');
  } catch (error) {
    const code = (error as { code?: string }).code;
    process.stdout.write(
      code === 'STATE_LOCKED' ? 'locked\n' : `crashed: ${String((error as Error).stack)}\n`,
    );
  }
});
process.stdin.on('end', () => {
  release?.();
  process.exit(0);
});
process.stdout.write('ready\n');
