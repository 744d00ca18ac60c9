import { describe, expect, it } from 'vitest';
import { sourcePath } from './bundle.ts';

describe('sourcePath', () => {
  const charm = '/repo/charms/snappass';
  it('keeps paths inside the charm', () => {
    expect(sourcePath('src/charm.ts', charm, '/repo')).toBe('src/charm.ts');
  });
  it('names workspace packages from the workspace root', () => {
    expect(sourcePath('../../packages/ops/src/main.ts', charm, '/repo')).toBe(
      'packages/ops/src/main.ts',
    );
  });
  it('names npm packages from their node_modules directory', () => {
    expect(
      sourcePath('../../node_modules/.pnpm/undici@7.30.2/node_modules/undici/lib/a.js', charm),
    ).toBe('node_modules/undici/lib/a.js');
  });
  it('never points above the charm directory', () => {
    expect(sourcePath('../../../elsewhere/x.ts', charm, '/repo')).toBe('elsewhere/x.ts');
  });
});
