/**
 * The original's `import-dashboard` action, fixed: the parameter is checked as base64 of a
 * JSON object (UTF-8, not the original's ASCII), the file is kept on the database storage
 * under a name from its content (importing it again changes nothing), and the results say what
 * was imported.
 * @module
 */
import { createHash } from 'node:crypto';
import { IMPORTED_DIR } from './workload.ts';

/** A dashboard the action can import. */
export interface ImportedDashboard {
  readonly path: string;
  readonly content: string;
  readonly title: string;
  readonly uid: string;
  readonly panels: number;
}

/** Why the parameter cannot be imported: the action fails with this message. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads the action's `dashboard` parameter. Throws `ImportError` saying what is wrong. */
export function readImportedDashboard(param: string): ImportedDashboard {
  const compact = param.replace(/\s+/g, '');
  if (!compact || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new ImportError('dashboard must be base64 (for example: base64 -w0 dashboard.json)');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    throw new ImportError('dashboard decodes to bytes that are not UTF-8 text: it must be JSON');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`dashboard is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ImportError('dashboard must be a JSON object (a Grafana dashboard)');
  }
  const d = parsed as { title?: unknown; uid?: unknown; panels?: unknown };
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return {
    path: `${IMPORTED_DIR}/imported_${digest}.json`,
    content: text,
    title: typeof d.title === 'string' ? d.title : '',
    uid: typeof d.uid === 'string' ? d.uid : '',
    panels: Array.isArray(d.panels) ? d.panels.length : 0,
  };
}
