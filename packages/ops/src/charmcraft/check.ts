/**
 * Small validators for charmcraft.yaml: each checks one value at one key path and throws a
 * `CharmcraftError` that names the file, the path and the fix.
 * @module
 */
import { CharmcraftError } from '../errors.ts';

/** A plain YAML mapping. */
export type YamlMap = Record<string, unknown>;

/** Validators bound to one file. */
export class Checker {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new CharmcraftError(this.file, path, problem);
  }

  isMap(value: unknown): value is YamlMap {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** A mapping whose keys are all in `allowed` (when given): unknown keys are refused. */
  map(value: unknown, path: string, allowed?: readonly string[]): YamlMap {
    if (!this.isMap(value)) this.fail(path, `expected a mapping, got ${describe(value)}`);
    if (allowed) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
          this.fail(
            join(path, key),
            `unknown key; remove it or use one of: ${[...allowed].sort().join(', ')}`,
          );
        }
      }
    }
    return value;
  }

  /** A mapping or null/absent (YAML `key:` with nothing after it), as a mapping. */
  optMap(value: unknown, path: string, allowed?: readonly string[]): YamlMap {
    return value === undefined || value === null ? {} : this.map(value, path, allowed);
  }

  str(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${describe(value)}`);
    return value;
  }

  optStr(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.str(value, path);
  }

  required(map: YamlMap, key: string, path: string): unknown {
    const value = map[key];
    if (value === undefined || value === null) this.fail(join(path, key), 'is required; add it');
    return value;
  }

  bool(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean')
      this.fail(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  optBool(value: unknown, path: string): boolean | undefined {
    return value === undefined ? undefined : this.bool(value, path);
  }

  int(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.fail(path, `expected an integer, got ${describe(value)}`);
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(path, `expected one of ${choices.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  }

  list(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  strList(value: unknown, path: string): string[] {
    return this.list(value, path).map((item, i) => this.str(item, `${path}[${i}]`));
  }

  name(value: string, path: string, pattern: RegExp, what: string): string {
    if (!pattern.test(value)) this.fail(path, `'${value}' is not a valid ${what}`);
    return value;
  }
}

/** `a.b` + `c` → `a.b.c`. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const shown = JSON.stringify(value);
  // Enough to recognise the value; never a whole file pasted into one line.
  return `${typeof value} ${shown.length > 80 ? `${shown.slice(0, 77)}…` : shown}`;
}
