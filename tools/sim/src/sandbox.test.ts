import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../test/temp.ts';
import { sandboxArgv } from './sandbox.ts';

const BINS = {
  bwrap: '/usr/bin/bwrap',
  pebble: '/p/pebble',
  ip: '/sbin/ip',
  nsenter: '/usr/bin/nsenter',
  unshare: '/usr/bin/unshare',
};

describe('sandboxArgv', () => {
  test('joins the netns, mounts the overlay in a private mount namespace, then bwraps', () => {
    const layer = join(tempDir('sim-sandbox-'), 'layer');
    const argv = sandboxArgv(BINS, {
      netns: 'csim1-0',
      layerDir: layer,
      hostname: 'app-0',
      binds: [
        { src: '/host/a', dest: '/a' },
        { src: '/host/b', dest: '/b', readOnly: true },
      ],
      env: { K: 'v' },
      cwd: '/work',
      command: ['./dispatch'],
      dieWithParent: true,
    });
    expect(argv.slice(0, 9)).toEqual([
      '/usr/bin/nsenter',
      '--net=/run/netns/csim1-0',
      '--',
      '/usr/bin/unshare',
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
    ]);
    expect(argv.slice(11, 15)).toEqual([
      'sandbox',
      join(layer, 'upper'),
      join(layer, 'work'),
      join(layer, 'root'),
    ]);
    const bwrap = argv.slice(15);
    expect(bwrap.slice(0, 4)).toEqual(['/usr/bin/bwrap', '--bind', join(layer, 'root'), '/']);
    expect(bwrap.join(' ')).toContain(
      '--hostname app-0 --die-with-parent --bind /host/a /a --ro-bind /host/b /b --clearenv --setenv K v --chdir /work -- ./dispatch',
    );
    for (const dir of ['upper', 'work', 'root']) expect(existsSync(join(layer, dir))).toBe(true);
  });

  test('daemons outlive the process that started them', () => {
    const argv = sandboxArgv(BINS, {
      netns: 'n',
      layerDir: tempDir('sim-sandbox-'),
      hostname: 'h',
      binds: [],
      env: {},
      cwd: '/',
      command: ['pebble'],
      dieWithParent: false,
    });
    expect(argv).not.toContain('--die-with-parent');
  });
});
