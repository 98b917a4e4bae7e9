// Rendering a step's part once per distinct set of values it reads, not once per target: on a
// 50 clusters × 10 nodes inventory most parts read only cluster-wide or inventory-wide values
// (issue 25, "A fast start"). Exact by construction: a rendering is a pure function of what it
// reads through `lookup` (src/catalogue/expr.ts) plus the `extra` inputs the caller names, so a
// target whose values at every path the first rendering read are the same (=== for primitives,
// the same object for lists and maps) takes the same branches and renders the same result.
import { lookup, withReads } from '../catalogue/expr.js';

const LEAF = Symbol('leaf');

/** The renderings made with one set of read paths, keyed by the values read (nested maps). */
interface Group {
  paths: (readonly string[])[];
  root: Map<unknown, unknown>;
}

// A part whose read paths keep changing (they depend on the values) stops being memoised beyond
// this many path sets instead of comparing every target with every earlier one.
const MAX_GROUPS = 8;

export class RenderMemo<T> {
  private readonly groups: Group[] = [];

  /** `enabled` false: every call renders (the reference the memoised plan is tested against). */
  constructor(private readonly enabled = true) {}

  /**
   * `fn()` rendered in `ctx`, or an earlier result whose reads had the same values. `extra` holds
   * every other input of `fn` that is not read from `ctx` (compared with ===).
   */
  get(ctx: object, extra: readonly unknown[], fn: () => T): T {
    if (!this.enabled) return fn();
    for (const g of this.groups) {
      const hit = find(g, keyOf(g.paths, ctx, extra));
      if (hit !== undefined) return hit.value as T;
    }
    const paths = new Map<string, readonly string[]>();
    let outside = false;
    const value = withReads(
      (c, path) => {
        const base = resolvesIn(c, ctx, path[0]);
        if (base === 'outside') outside = true;
        else if (base === 'ctx') {
          const id = path.join('.');
          if (!paths.has(id)) paths.set(id, path.slice());
        }
      },
      fn,
    );
    // A lookup in an object that neither is `ctx` nor is layered over it: not tracked, not kept.
    if (outside) return value;
    const list = [...paths.values()];
    const sig = list.map((p) => p.join('.')).join('\n');
    let g = this.groups.find((x) => x.paths.map((p) => p.join('.')).join('\n') === sig);
    if (!g) {
      if (this.groups.length >= MAX_GROUPS) return value;
      g = { paths: list, root: new Map() };
      this.groups.push(g);
    }
    store(g, keyOf(list, ctx, extra), value);
    return value;
  }
}

function keyOf(paths: (readonly string[])[], ctx: object, extra: readonly unknown[]): unknown[] {
  const key: unknown[] = [...extra];
  for (const p of paths) key.push(lookup(ctx, p));
  key.push(LEAF);
  return key;
}

function find(g: Group, key: unknown[]): { value: unknown } | undefined {
  let m: Map<unknown, unknown> | undefined = g.root;
  for (let i = 0; i < key.length - 1; i++) {
    m = m.get(key[i]) as Map<unknown, unknown> | undefined;
    if (m === undefined) return undefined;
  }
  return m.has(LEAF) ? { value: m.get(LEAF) } : undefined;
}

function store(g: Group, key: unknown[], value: unknown): void {
  let m = g.root;
  for (let i = 0; i < key.length - 1; i++) {
    let next = m.get(key[i]) as Map<unknown, unknown> | undefined;
    if (next === undefined) m.set(key[i], (next = new Map()));
    m = next;
  }
  m.set(LEAF, value);
}

/**
 * Where a lookup's first name comes from: `ctx` itself (a value to key on), a layer over it (a
 * loop item or snippet parameter: made from values already read), or an unrelated object.
 */
function resolvesIn(c: unknown, ctx: object, name: string | undefined): 'ctx' | 'layer' | 'outside' {
  let o = c;
  while (o !== ctx) {
    if (o === null || typeof o !== 'object') return 'outside';
    if (name !== undefined && Object.hasOwn(o, name)) return 'layer';
    o = Object.getPrototypeOf(o) as unknown;
  }
  return 'ctx';
}
