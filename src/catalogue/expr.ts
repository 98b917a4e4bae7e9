// Tiny boolean expression language for `when:` and `where:` in the catalogue:
//   path, !path, a && b, a || b, (a), path == 'text', path != 'text',
//   path < 'release', path <= 'release', path > 'release', path >= 'release'
// A path is truthy when it is true, a non-empty string, a non-zero number or a non-empty list.
// The ordering comparisons compare release names (version.ts: '12.5' < '14' < '15', 'X14' <
// 'X15.4', '2.x' < '3.0'), so a step can depend on the version the inventory names as data; a
// literal on either side must be a release name (checked at load).
// Kept deliberately small: anything cleverer belongs in the domain adapter, not in YAML.
import { type Shape, shapeAt } from './shape.js';
import { compareVersions, parseVersion } from './version.js';

export type Expr =
  | { t: 'path'; path: string[] }
  | { t: 'lit'; value: string }
  | { t: 'not'; e: Expr }
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'eq' | 'ne'; a: Expr; b: Expr }
  | { t: 'lt' | 'le' | 'gt' | 'ge'; a: Expr; b: Expr };

const ORDER_OPS = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;

const TOKEN = /\s*(&&|\|\||==|!=|<=|>=|<|>|!|\(|\)|'[^']*'|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m || m[1] === undefined) throw new Error(`cannot parse expression "${src}" at column ${pos + 1}`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

// Expressions are evaluated once per target and command; parse each distinct text only once.
const parsed = new Map<string, Expr>();

export function parseExpr(src: string): Expr {
  let e = parsed.get(src);
  if (!e) {
    e = parseUncached(src);
    parsed.set(src, e);
  }
  return e;
}

function parseUncached(src: string): Expr {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const next = (): string => {
    const t = toks[i++];
    if (t === undefined) throw new Error(`unexpected end of expression "${src}"`);
    return t;
  };
  const primary = (): Expr => {
    const t = next();
    if (t === '!') return { t: 'not', e: primary() };
    if (t === '(') {
      const e = or();
      if (next() !== ')') throw new Error(`missing ) in "${src}"`);
      return e;
    }
    if (t.startsWith("'")) return { t: 'lit', value: t.slice(1, -1) };
    if (/^[A-Za-z_]/.test(t)) return { t: 'path', path: t.split('.') };
    throw new Error(`unexpected "${t}" in expression "${src}"`);
  };
  const cmp = (): Expr => {
    const a = primary();
    const op = peek();
    if (op === '==' || op === '!=') {
      next();
      return { t: op === '==' ? 'eq' : 'ne', a, b: primary() };
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      next();
      const b = primary();
      for (const side of [a, b]) {
        if (side.t !== 'path' && side.t !== 'lit') throw new Error(`"${op}" compares a variable with a release name, in "${src}"`);
        if (side.t === 'lit' && !parseVersion(side.value)) throw new Error(`'${side.value}' is not a release name (such as 15, 12.5, 14SU2, X15.4 or 3.x) in "${src}"`);
      }
      return { t: ORDER_OPS[op], a, b };
    }
    return a;
  };
  const and = (): Expr => {
    let a = cmp();
    while (peek() === '&&') {
      next();
      a = { t: 'and', a, b: cmp() };
    }
    return a;
  };
  const or = (): Expr => {
    let a = and();
    while (peek() === '||') {
      next();
      a = { t: 'or', a, b: and() };
    }
    return a;
  };
  const e = or();
  if (i !== toks.length) throw new Error(`unexpected "${toks[i] ?? ''}" in expression "${src}"`);
  return e;
}

/** Every path an expression reads, for load-time checking against a Shape. */
export function exprPaths(e: Expr): string[][] {
  switch (e.t) {
    case 'path':
      return [e.path];
    case 'lit':
      return [];
    case 'not':
      return exprPaths(e.e);
    default:
      return [...exprPaths(e.a), ...exprPaths(e.b)];
  }
}

export function checkExpr(src: string, shape: Shape): string[] {
  let e: Expr;
  try {
    e = parseExpr(src);
  } catch (err) {
    return [(err as Error).message];
  }
  return exprPaths(e)
    .filter((p) => shapeAt(shape, p) === undefined)
    .map((p) => `unknown variable "${p.join('.')}" in expression "${src}"`);
}

/** Told of every lookup while set: src/plan/memo.ts learns which values a rendering read. */
export type ReadListener = (ctx: unknown, path: readonly string[]) => void;
let listener: ReadListener | undefined;

/**
 * Runs `fn` with `l` told of its lookups. Nested calls tell the outer listener too, so a
 * memoised rendering inside another still reports everything it read.
 */
export function withReads<T>(l: ReadListener, fn: () => T): T {
  const outer = listener;
  listener = outer === undefined ? l : (ctx, path) => (outer(ctx, path), l(ctx, path));
  try {
    return fn();
  } finally {
    listener = outer;
  }
}

export function lookup(ctx: unknown, path: readonly string[]): unknown {
  if (listener !== undefined) listener(ctx, path);
  let cur: unknown = ctx;
  // Indexed, not for…of: `plan` runs without TurboFan (src/optimising-tier.ts), where each for…of
  // allocates an iterator and a result per element, and a 500-node plan makes a million lookups.
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[path[i]!];
  }
  return cur;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

function value(e: Expr, ctx: unknown): unknown {
  if (e.t === 'path') return lookup(ctx, e.path);
  if (e.t === 'lit') return e.value;
  return evalExpr(e, ctx);
}

export function evalExpr(e: Expr, ctx: unknown): boolean {
  switch (e.t) {
    case 'path':
      return truthy(lookup(ctx, e.path));
    case 'lit':
      return e.value.length > 0;
    case 'not':
      return !evalExpr(e.e, ctx);
    case 'and':
      return evalExpr(e.a, ctx) && evalExpr(e.b, ctx);
    case 'or':
      return evalExpr(e.a, ctx) || evalExpr(e.b, ctx);
    case 'eq':
      return String(value(e.a, ctx)) === String(value(e.b, ctx));
    case 'ne':
      return String(value(e.a, ctx)) !== String(value(e.b, ctx));
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const d = compareVersions(String(value(e.a, ctx)), String(value(e.b, ctx)));
      return e.t === 'lt' ? d < 0 : e.t === 'le' ? d <= 0 : e.t === 'gt' ? d > 0 : d >= 0;
    }
  }
}
