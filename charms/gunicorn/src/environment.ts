/**
 * The `environment` option: a Jinja2 template of a YAML mapping, rendered with relation data
 * into the application's environment variables. Every way it can fail is a status, never an
 * exception: a relation that is not there, data not there yet, a template or YAML that cannot
 * be read.
 * @module
 */
import { Status } from '@charm-ts/ops';
import { readPlainEnvironment } from './plain-environment.ts';
import { MissingValueError, parseTemplate, TemplateError } from './template.ts';

/** The template context: relation data by endpoint name (`pg`, `influxdb`, …). */
export type TemplateContext = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** What the relations are, for telling a missing relation from one without data yet. */
export interface RelationState {
  /** Every endpoint of the charm (charmcraft.yaml), sorted. */
  readonly endpoints: readonly string[];
  /** The endpoints with a relation right now. */
  readonly related: ReadonlySet<string>;
}

/** The rendered environment, or why there is none. */
export type EnvironmentResult =
  | { readonly ok: true; readonly environment: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly status: Status };

/** The original's text for relations a template needs that are not there. */
export function waitingForRelations(names: readonly string[]): string {
  return `Waiting for ${[...names].sort().join(', ')} relation(s)`;
}

/**
 * Renders `source` with `context` and reads the result as a YAML mapping of names to values.
 * An empty template is an empty environment. Statuses:
 * - `blocked: Waiting for <names> relation(s)`: the template names relations that are not there
 *   (the original's text, the names sorted);
 * - `blocked: environment names <x>, which is not a relation of this charm (…)`;
 * - `waiting: Waiting for data on the <names> relation(s)`: related, nothing received yet;
 * - `waiting: Waiting for <path> from the <name> relation`: a key the template uses is not
 *   there (yet); Jinja2 would have rendered an empty string;
 * - `blocked: environment …`: not a template, cannot be rendered, not YAML (with the line and
 *   column in the rendered text), not a mapping, or a value that is not a scalar.
 */
export async function renderEnvironment(
  source: string,
  context: TemplateContext,
  relations: RelationState,
): Promise<EnvironmentResult> {
  if (source.trim() === '') return { ok: true, environment: {} };
  let template: ReturnType<typeof parseTemplate>;
  try {
    template = parseTemplate(source);
  } catch (error) {
    return blocked(`environment is not a valid Jinja2 template: ${(error as Error).message}`);
  }
  const absent = template.variables.filter((name) => isEmpty(context[name]));
  const unknown = absent.filter((name) => !relations.endpoints.includes(name));
  if (unknown.length > 0) {
    return blocked(
      `environment names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are not relations' : 'is not a relation'} of this charm (${relations.endpoints.join(', ')})`,
    );
  }
  const missing = absent.filter((name) => !relations.related.has(name));
  if (missing.length > 0) return blocked(waitingForRelations(missing));
  if (absent.length > 0) {
    return {
      ok: false,
      status: Status.waiting(`Waiting for data on the ${absent.join(', ')} relation(s)`),
    };
  }
  let rendered: string;
  try {
    rendered = template.render(context);
  } catch (error) {
    if (error instanceof MissingValueError && relations.endpoints.includes(error.root)) {
      return {
        ok: false,
        status: Status.waiting(`Waiting for ${error.path} from the ${error.root} relation`),
      };
    }
    if (error instanceof MissingValueError) return blocked(`environment: ${error.message}`);
    if (error instanceof TemplateError) {
      return blocked(`environment cannot be rendered: ${error.message}`);
    }
    throw error;
  }
  return readEnvironment(rendered);
}

/**
 * The rendered text as a mapping of names to strings, or a blocked status saying why not. Plain
 * `NAME: value` lines are read without the `yaml` library (see `plain-environment.ts`), which is
 * loaded only for anything else: a hook whose environment is plain never loads it.
 */
export async function readEnvironment(rendered: string): Promise<EnvironmentResult> {
  const plain = readPlainEnvironment(rendered);
  if (plain) return { ok: true, environment: plain };
  const { readYamlEnvironment } = await import('./environment-yaml.ts');
  return readYamlEnvironment(rendered);
}

/** The original's test: a context entry that is absent or empty does not count. */
function isEmpty(value: Readonly<Record<string, string>> | undefined): boolean {
  return value === undefined || Object.keys(value).length === 0;
}

function blocked(message: string): EnvironmentResult {
  return { ok: false, status: Status.blocked(message) };
}
