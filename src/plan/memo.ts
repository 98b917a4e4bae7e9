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
  sig: string;
  paths: (readonly string[])[];
  root: Map<unknown, unknown>;
}

// A part whose read paths keep changing (they depend on the values) stops being memoised beyond
// this many path sets instead of comparing every target with every earlier one.
const MAX_GROUPS = 8;
// A part that every target renders differently (its own node name) gains nothing from the memo:
// after this many renderings without one reuse it is rendered directly, without tracking.
const GIVE_UP_AFTER = 12;

export class RenderMemo<T> {
  private readonly groups: Group[] = [];
  private misses = 0;
  private hits = 0;

  /** `enabled` false: every call renders (the reference the memoised plan is tested against). */
  constructor(private readonly enabled = true) {}

  /**
   * `fn()` rendered in `ctx`, or an earlier result whose reads had the same values. `extra` holds
   * every other input of `fn` that is not read from `ctx` (compared with ===).
   */
  get(ctx: object, extra: readonly unknown[], fn: () => T): T {
    return this.getFor(ctx, extra, callThunk<T>, fn);
  }

  /**
   * The same as get() with `render(arg)` for `fn()`: one `render` made per step serves every
   * target, where a thunk per call is a closure per target and part (plan builds without TurboFan,
   * src/optimising-tier.ts, which would not allocate them: ~5 MB of a 500-node plan's garbage).
   */
  getFor<A>(ctx: object, extra: readonly unknown[], render: (arg: A) => T, arg: A): T {
    if (!this.enabled || (this.hits === 0 && this.misses >= GIVE_UP_AFTER)) return render(arg);
    // Indexed (here and in store): `plan` runs without TurboFan, where for…of allocates per element.
    for (let i = 0; i < this.groups.length; i++) {
      const m = find(this.groups[i]!, ctx, extra);
      if (m !== undefined && m.has(LEAF)) {
        this.hits++;
        return m.get(LEAF) as T;
      }
    }
    this.misses++;
    return this.renderAndKeep(ctx, extra, render, arg);
  }

  /**
   * A miss: `render(arg)` with its reads tracked, kept under their values. Apart from getFor
   * because its closures capture the arguments: a function with such closures allocates their
   * context at every call, hits included (~4.5 MB of a 500-node plan's garbage, where hits are
   * 50 for each miss).
   */
  private renderAndKeep<A>(ctx: object, extra: readonly unknown[], render: (arg: A) => T, arg: A): T {
    // Paths are the catalogue's parsed arrays (one object per placeholder or condition): kept by
    // identity while rendering, made unique by their text once at the end.
    const seen = new Set<readonly string[]>();
    let outside = false;
    const value = withReads(
      (c, path) => {
        if (c === ctx) seen.add(path);
        else {
          const base = resolvesIn(c, ctx, path[0]);
          if (base === 'outside') outside = true;
          else if (base === 'ctx') seen.add(path);
        }
      },
      () => render(arg),
    );
    // A lookup in an object that neither is `ctx` nor is layered over it: not tracked, not kept.
    if (outside) return value;
    const byText = new Map<string, readonly string[]>();
    for (const p of seen) {
      const id = p.join('.');
      if (!byText.has(id)) byText.set(id, p.slice());
    }
    const sig = [...byText.keys()].join('\n');
    let g = this.groups.find((x) => x.sig === sig);
    if (!g) {
      if (this.groups.length >= MAX_GROUPS) return value;
      g = { sig, paths: [...byText.values()], root: new Map() };
      this.groups.push(g);
    }
    store(g, ctx, extra).set(LEAF, value);
    return value;
  }
}

const callThunk = <T>(fn: () => T): T => fn();

/** `extra` of a part that reads nothing but its context: one shared empty list, not one per call. */
export const NO_EXTRA: readonly unknown[] = Object.freeze([]);

/** The innermost map for these values (the extra inputs, then each path's value), if made. */
function find(g: Group, ctx: object, extra: readonly unknown[]): Map<unknown, unknown> | undefined {
  let m: Map<unknown, unknown> | undefined = g.root;
  for (let i = 0; i < extra.length && m !== undefined; i++) m = m.get(extra[i]) as Map<unknown, unknown> | undefined;
  for (let i = 0; i < g.paths.length && m !== undefined; i++) m = m.get(lookup(ctx, g.paths[i]!)) as Map<unknown, unknown> | undefined;
  return m;
}

/** The same innermost map, made where missing. */
function store(g: Group, ctx: object, extra: readonly unknown[]): Map<unknown, unknown> {
  let m = g.root;
  const step = (k: unknown) => {
    let next = m.get(k) as Map<unknown, unknown> | undefined;
    if (next === undefined) m.set(k, (next = new Map()));
    m = next;
  };
  for (let i = 0; i < extra.length; i++) step(extra[i]);
  for (let i = 0; i < g.paths.length; i++) step(lookup(ctx, g.paths[i]!));
  return m;
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
