/**
 * The YAML reader of the rendered environment: the `yaml` library with YAML 1.1 (as PyYAML reads
 * it), for what `plain-environment.ts` declines. Loaded on demand (see `readEnvironment`).
 * @module
 */
import { Status } from '@charm-ts/ops';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar } from 'yaml';
import type { EnvironmentResult } from './environment.ts';

/** The rendered text as a mapping of names to strings, or a blocked status saying why not. */
export function readYamlEnvironment(rendered: string): EnvironmentResult {
  const lines = new LineCounter();
  // YAML 1.1, as PyYAML reads it (`yes` is true); duplicate keys are refused.
  const doc = parseDocument(rendered, { version: '1.1', lineCounter: lines, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    // The library's message ends with an excerpt of the text, which may hold a relation's
    // secret: only its first clause is kept, with the position.
    const what = error.message.split(/ at line \d+|:\n/)[0]?.trim() ?? error.code;
    const { line, col } = lines.linePos(error.pos[0]);
    return blocked(
      `environment is not valid YAML once rendered: ${what} (line ${line}, column ${col})`,
    );
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null))
    return { ok: true, environment: {} };
  if (!isMap(root)) {
    return blocked(
      `environment must render to a YAML mapping (NAME: value), not ${describe(root)}`,
    );
  }
  const environment: Record<string, string> = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? scalarText(pair.key) : undefined;
    if (key === undefined || key === '' || key.includes('=') || key.includes('\0')) {
      return blocked(
        `environment: a variable name must be a non-empty string without '=', not ${describe(pair.key)}`,
      );
    }
    if (pair.value !== null && !isScalar(pair.value)) {
      return blocked(
        `environment: the value of ${key} must be a string, number or boolean, not ${describe(pair.value)}`,
      );
    }
    environment[key] = pair.value === null ? '' : scalarText(pair.value);
  }
  return { ok: true, environment };
}

/** A scalar as the environment gets it: text as is, booleans as `true`/`false`, nulls empty, numbers as written. */
function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'boolean') return node.value ? 'true' : 'false';
  if (node.value === null) return '';
  return node.source ?? String(node.value);
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'an empty value';
    return typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`;
  }
  return 'that';
}

function blocked(message: string): EnvironmentResult {
  return { ok: false, status: Status.blocked(message) };
}
