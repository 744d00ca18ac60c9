/**
 * What a parsed Jinja2 template needs, found in one walk over `@huggingface/jinja`'s tree: the
 * context names it reads (Jinja2's `find_undeclared_variables`), which expressions are printed
 * and which must have a value (printed, computed with, looked into, iterated), and how the
 * template names an expression in an error (`pg.db_uri`).
 * @module
 */

/** An AST node as the library's parser makes it: a `type` and its fields. */
export interface Node {
  readonly type: string;
  readonly [field: string]: unknown;
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

/** What `analyse` found. */
export interface Analysis {
  readonly variables: string[];
  /** Expressions whose value is printed. */
  readonly outputs: ReadonlySet<Node>;
  /** Expressions whose value is used (printed, computed with, looked into, iterated). */
  readonly needed: ReadonlySet<Node>;
}

/** One walk over the tree: the context names it reads and where values are required. */
export function analyse(program: Node): Analysis {
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

/** How the template names an expression: `pg.db_uri`, `pg['ro-uris']`, else a placeholder. */
export function pathOf(node: Node): string {
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
