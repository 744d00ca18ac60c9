import { describe, expect, it, vi } from 'vitest';
import { batchLines, Logger, type LogLine } from './logger.ts';

describe('batchLines', () => {
  it('joins consecutive lines of one level, splits at level changes', () => {
    expect(
      batchLines([
        { level: 'INFO', message: 'a' },
        { level: 'INFO', message: 'b' },
        { level: 'DEBUG', message: 'c' },
        { level: 'INFO', message: 'd' },
      ]),
    ).toEqual([
      { level: 'INFO', message: 'a\nb' },
      { level: 'DEBUG', message: 'c' },
      { level: 'INFO', message: 'd' },
    ]);
  });

  it('keeps every message within the byte limit, splitting a long line (UTF-8 aware)', () => {
    const out = batchLines(
      [
        { level: 'INFO', message: 'x'.repeat(6) },
        { level: 'INFO', message: '✓'.repeat(5) },
      ],
      10,
    );
    for (const m of out) expect(Buffer.byteLength(m.message)).toBeLessThanOrEqual(10);
    expect(out.map((m) => m.message).join('')).toBe(`${'x'.repeat(6)}${'✓'.repeat(5)}`);
  });
});

describe('Logger', () => {
  it('sends nothing until flushed; then everything, in order', async () => {
    const sent: LogLine[][] = [];
    const logger = new Logger(async (lines) => {
      sent.push([...lines]);
    });
    logger.info('a');
    logger.debug('b');
    expect(sent).toEqual([]);
    await logger.flush();
    expect(sent).toEqual([
      [
        { level: 'INFO', message: 'a' },
        { level: 'DEBUG', message: 'b' },
      ],
    ]);
    await logger.flush();
    expect(sent.length).toBe(1);
  });

  it('a failing sink keeps the lines on stderr and never throws', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const logger = new Logger(async () => {
        throw new Error('juju-log: not found');
      });
      logger.error('kept');
      await logger.flush();
      expect(String(write.mock.calls[0]?.[0])).toBe(
        'juju-log failed (juju-log: not found); the lines:\nERROR kept\n',
      );
    } finally {
      write.mockRestore();
    }
  });

  it('lines older than maxAgeMs go out without waiting for the end', async () => {
    const sent: LogLine[][] = [];
    let arrived: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const logger = new Logger(
      async (lines) => {
        sent.push([...lines]);
        arrived();
      },
      { maxAgeMs: 5 },
    );
    logger.info('slow hook');
    await done;
    expect(sent).toEqual([[{ level: 'INFO', message: 'slow hook' }]]);
  });
});
