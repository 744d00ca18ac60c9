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

/** An AST node as the library's parser makes it: a `type` and its fields. */
interface Node {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A runtime value as the library's interpreter makes it. */
interface Value {
  readonly type: string;
  readonly value: unknown;
  toString(): string;
}

/** Names the library (or Jinja2) provides, never read from the context. */
const GLOBALS = new Set([
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'range',
  'namespace',
  'raise_exception',
  'strftime_now',
  'loop',
  'caller',
  'varargs',
  'kwargs',
]);

/** Operators whose operands must be values (Jinja2 raises for undefined ones in strict mode). */
const VALUE_OPERATORS = new Set(['+', '-', '*', '/', '//', '%', '**', '~', 'in', 'not in']);
/** Filters that accept an undefined value. */
const UNDEFINED_FILTERS = new Set(['default', 'd']);

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

interface Analysis {
  readonly variables: string[];
  /** Expressions whose value is printed. */
  readonly outputs: ReadonlySet<Node>;
  /** Expressions whose value is used (printed, computed with, looked into, iterated). */
  readonly needed: ReadonlySet<Node>;
}

/** One walk over the tree: the context names it reads and where values are required. */
function analyse(program: Node): Analysis {
  const read = new Set<string>();
  const assigned = new Set<string>();
  const outputs = new Set<Node>();
  const needed = new Set<Node>();
  const isNode = (v: unknown): v is Node =>
    typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
  const bind = (target: unknown) => {
    if (!isNode(target)) return;
    if (target.type === 'Identifier') assigned.add(target.value as string);
    else if (target.type === 'TupleLiteral' || target.type === 'ArrayLiteral') {
      for (const t of target.value as unknown[]) bind(t);
    }
  };
  const body = (statements: unknown) => {
    for (const s of (statements as Node[] | undefined) ?? []) {
      if (isNode(s) && !STATEMENTS.has(s.type)) {
        outputs.add(s);
        needed.add(s);
      }
      walk(s);
    }
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!isNode(node)) return;
    switch (node.type) {
      case 'Program':
        body(node.body);
        return;
      case 'If':
        walk(node.test);
        body(node.body);
        body(node.alternate);
        return;
      case 'For':
        bind(node.loopvar);
        needed.add(node.iterable as Node);
        walk(node.iterable);
        body(node.body);
        body(node.defaultBlock);
        return;
      case 'Set':
        bind(node.assignee);
        if (isNode(node.assignee) && node.assignee.type === 'MemberExpression') walk(node.assignee);
        walk(node.value);
        body(node.body);
        return;
      case 'Macro':
        bind(node.name);
        for (const arg of node.args as Node[]) {
          if (arg.type === 'KeywordArgumentExpression') {
            bind(arg.key);
            walk(arg.value);
          } else bind(arg);
        }
        body(node.body);
        return;
      case 'CallStatement':
        for (const arg of (node.callerArgs as Node[] | null) ?? []) bind(arg);
        walk(node.call);
        body(node.body);
        return;
      case 'FilterStatement':
        walkFilter(node.filter as Node);
        body(node.body);
        return;
      case 'Identifier':
        read.add(node.value as string);
        return;
      case 'MemberExpression':
        needed.add(node.object as Node);
        walk(node.object);
        if (node.computed) walk(node.property);
        return;
      case 'BinaryExpression': {
        const op = (node.operator as { value: string }).value;
        if (VALUE_OPERATORS.has(op)) {
          needed.add(node.left as Node);
          needed.add(node.right as Node);
        }
        walk(node.left);
        walk(node.right);
        return;
      }
      case 'FilterExpression': {
        const filter = node.filter as Node;
        const name =
          filter.type === 'CallExpression' ? (filter.callee as Node).value : filter.value;
        if (!UNDEFINED_FILTERS.has(name as string)) needed.add(node.operand as Node);
        walk(node.operand);
        walkFilter(filter);
        return;
      }
      case 'TestExpression':
        walk(node.operand);
        return;
      case 'CallExpression':
        walk(node.callee);
        for (const arg of node.args as Node[]) {
          needed.add(arg.type === 'KeywordArgumentExpression' ? (arg.value as Node) : arg);
        }
        walk(node.args);
        return;
      case 'KeywordArgumentExpression':
        walk(node.value);
        return;
      case 'ObjectLiteral':
        for (const [k, v] of node.value as Map<unknown, unknown>) {
          walk(k);
          walk(v);
        }
        return;
      default:
        for (const [key, value] of Object.entries(node)) if (key !== 'type') walk(value);
    }
  };
  const walkFilter = (filter: Node) => {
    // The filter's name is not a variable; its arguments are expressions.
    if (filter.type === 'CallExpression') walk(filter.args);
  };
  walk(program);
  const variables = [...read].filter((n) => !assigned.has(n) && !GLOBALS.has(n)).sort();
  return { variables, outputs, needed };
}

/** Statement types rendered by the library itself; every other node in a body is printed. */
const STATEMENTS = new Set([
  'StringLiteral',
  'If',
  'For',
  'Set',
  'Macro',
  'Comment',
  'CallStatement',
  'FilterStatement',
  'Break',
  'Continue',
]);

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

/** How the template names an expression: `pg.db_uri`, `pg['ro-uris']`, else a placeholder. */
function pathOf(node: Node): string {
  if (node.type === 'Identifier') return node.value as string;
  if (node.type === 'MemberExpression') {
    const object = pathOf(node.object as Node);
    const property = node.property as Node;
    if (!node.computed) return `${object}.${property.value as string}`;
    if (property.type === 'StringLiteral' || property.type === 'IntegerLiteral') {
      return `${object}[${typeof property.value === 'string' ? `'${property.value}'` : property.value}]`;
    }
    return `${object}[…]`;
  }
  if (node.type === 'FilterExpression') return pathOf(node.operand as Node);
  if (node.type === 'CallExpression') return `${pathOf(node.callee as Node)}(…)`;
  return `a ${node.type}`;
}

/** Python's `str()` of a runtime value, as Jinja2 prints it. */
function pythonStr(value: Value): string {
  switch (value.type) {
    case 'StringValue':
      return value.value as string;
    case 'BooleanValue':
    case 'NullValue':
    case 'ArrayValue':
    case 'TupleValue':
    case 'ObjectValue':
      return pythonRepr(value);
    default:
      return value.toString();
  }
}

/** Python's `repr()` of a runtime value (strings quoted as Python quotes them). */
function pythonRepr(value: Value): string {
  switch (value.type) {
    case 'StringValue':
      return pythonStringRepr(value.value as string);
    case 'BooleanValue':
      return value.value ? 'True' : 'False';
    case 'NullValue':
    case 'UndefinedValue':
      return 'None';
    case 'ArrayValue':
      return `[${(value.value as Value[]).map(pythonRepr).join(', ')}]`;
    case 'TupleValue': {
      const items = (value.value as Value[]).map(pythonRepr);
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'ObjectValue':
    case 'KeywordArgumentsValue':
      return `{${[...(value.value as Map<string, Value>)]
        .map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`)
        .join(', ')}}`;
    default:
      return value.toString();
  }
}

/** Python's repr of a str: single quotes unless the text has one and no double quote. */
function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}
