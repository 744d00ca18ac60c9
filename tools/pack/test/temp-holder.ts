// Holds a pack's temporary file, run as its own process by temp-files.test.ts: writes it,
// says "ready", and waits to be signalled.
import { writeFileSync } from 'node:fs';
import { tempFileFor } from '../src/temp-files.ts';

const { tmp } = tempFileFor(process.argv[2] as string);
writeFileSync(tmp, 'half a zip');
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
