// A Shape describes what a render context holds, so that the catalogue loader can reject a
// template variable that does not exist before anything is rendered. The domain adapter
// (src/inventory/topology.ts) declares one shape per target group; the engine only walks them.

export type Shape = 'string' | 'number' | 'boolean' | { $list: Shape } | { [key: string]: Shape };

export function isListShape(s: Shape): s is { $list: Shape } {
  return typeof s === 'object' && '$list' in s;
}

/** Resolve a dotted path in a shape; returns undefined when the path does not exist. */
export function shapeAt(shape: Shape, path: string[]): Shape | undefined {
  let cur: Shape | undefined = shape;
  for (const key of path) {
    if (cur === undefined || typeof cur === 'string' || isListShape(cur)) return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, key) ? cur[key] : undefined;
  }
  return cur;
}

/** A shape extended with extra top-level names (loop variables, snippet parameters). */
export function extendShape(shape: Shape, extra: Record<string, Shape>): Shape {
  if (typeof shape === 'string' || isListShape(shape)) return { ...extra };
  return { ...shape, ...extra };
}

export function mergeShapes(a: Shape, b: Shape): Shape {
  if (typeof a === 'string' || isListShape(a) || typeof b === 'string' || isListShape(b)) return b;
  return { ...a, ...b };
}
