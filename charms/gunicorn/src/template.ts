/**
 * Jinja2 templates, on `@huggingface/jinja`: parsed with Jinja2's default whitespace rules (no
 * block trimming), rendered without HTML escaping, values printed as Jinja2 prints them
 * (`True`, `None`, `['a', 'b']`), and strict about what is missing: a value that is printed,
 * computed with or looked into while undefined throws {@link MissingValueError} naming it,
 * where Jinja2 would print an empty string. `is defined`, `default(…)`, `if` and `and`/`or`
 * may look at undefined values, as in Jinja2.
 * @module
 */
import * as jinja from '@huggingface/jinja';
import { pythonStr, type Value } from './python-values.ts';
import { type Analysis, analyse, type Node, pathOf } from './template-analysis.ts';

/** The library's scope of variables (its `Environment`). */
interface Scope {
  set(name: string, value: unknown): unknown;
}
/** The parts of the library this module uses. Its own .d.ts files import without extensions,
 * which `nodenext` resolution cannot follow, so the shapes are declared here. */
interface JinjaModule {
  Environment: new () => Scope;
  Interpreter: new (
    scope: Scope,
  ) => {
    run(program: unknown): unknown;
    evaluate(statement: unknown, scope: Scope): unknown;
  };
  tokenize(source: string, options: { lstrip_blocks?: boolean; trim_blocks?: boolean }): unknown;
  parse(tokens: unknown): unknown;
}
const { Environment, Interpreter, parse, tokenize } = jinja as unknown as JinjaModule;

/** A parsed template. */
export interface Template {
  /** The top-level names the template reads from its context, sorted (Jinja2's `find_undeclared_variables`). */
  readonly variables: readonly string[];
  /** Renders with `context`. Throws {@link MissingValueError} or {@link TemplateError}. */
  render(context: Readonly<Record<string, unknown>>): string;
}

/** The template cannot be parsed, or rendering failed for another reason than a missing value. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** A value the template needs is not in the context: `path` is how the template names it (`pg.version`). */
export class MissingValueError extends Error {
  override readonly name = 'MissingValueError';
  readonly path: string;
  /** The top-level name it hangs from (`pg`). */
  readonly root: string;

  constructor(path: string) {
    super(`${path} is undefined`);
    this.path = path;
    this.root = path.split(/[.[]/)[0] ?? path;
  }
}

/**
 * Parses `source`. Throws {@link TemplateError} with the parser's message for a template the
 * library cannot read (including Jinja2 features it lacks, e.g. `{% raw %}`).
 */
export function parseTemplate(source: string): Template {
  let program: Node;
  try {
    // Jinja2's defaults: no trim_blocks, no lstrip_blocks (the library's Template sets both).
    program = parse(tokenize(source, {})) as Node;
  } catch (error) {
    // The parser reports what it understands as SyntaxError; it crashes on a missing end tag.
    throw new TemplateError(
      error instanceof SyntaxError
        ? error.message
        : 'unexpected end of the template (a block not closed?)',
    );
  }
  const analysis = analyse(program);
  return {
    variables: analysis.variables,
    render: (context) => render(program, analysis, context),
  };
}

function render(
  program: Node,
  analysis: Analysis,
  context: Readonly<Record<string, unknown>>,
): string {
  const env = new Environment();
  // The library's Template.render sets these globals; range and strftime_now are its own.
  for (const [name, value] of [
    ['true', true],
    ['false', false],
    ['none', null],
    ['True', true],
    ['False', false],
    ['None', null],
  ] as const) {
    env.set(name, value);
  }
  env.set('raise_exception', (message: unknown) => {
    throw new TemplateError(`raise_exception: ${String(message)}`);
  });
  env.set('range', pythonRange);
  for (const [key, value] of Object.entries(context)) env.set(key, value);
  const interpreter = new StrictInterpreter(env, analysis);
  try {
    return (interpreter.run(program) as Value).value as string;
  } catch (error) {
    if (error instanceof MissingValueError || error instanceof TemplateError) throw error;
    throw new TemplateError((error as Error).message);
  }
}

/** The library's interpreter, checking each needed value and printing as Python does. */
class StrictInterpreter extends Interpreter {
  readonly #analysis: Analysis;

  constructor(scope: Scope, analysis: Analysis) {
    super(scope);
    this.#analysis = analysis;
  }

  override evaluate(statement: unknown, scope: Scope): unknown {
    const value = super.evaluate(statement, scope) as Value;
    const node = statement as Node | undefined;
    if (!node) return value;
    if (value.type === 'UndefinedValue' && this.#analysis.needed.has(node)) {
      throw new MissingValueError(pathOf(node));
    }
    if (this.#analysis.outputs.has(node)) {
      const text = pythonStr(value);
      return { type: 'PrintedValue', value: text, toString: () => text };
    }
    return value;
  }
}

/** Python's `range(stop)` / `range(start, stop[, step])`, at most 100000 items. */
function pythonRange(...args: unknown[]): number[] {
  const ints = args.map(Number);
  if (ints.length === 0 || ints.length > 3 || !ints.every(Number.isInteger)) {
    throw new TemplateError('range() takes one to three integers');
  }
  const [start, stop, step = 1] = ints.length === 1 ? [0, ints[0] as number] : ints;
  if (step === 0) throw new TemplateError('range() step must not be zero');
  const out: number[] = [];
  for (let i = start as number; step > 0 ? i < (stop as number) : i > (stop as number); i += step) {
    if (out.push(i) > 100_000) throw new TemplateError('range() is limited to 100000 items');
  }
  return out;
}
