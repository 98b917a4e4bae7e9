// A seeded generator for the property tests (mulberry32), so every run draws the same values and
// a failure reproduces. Not a power-of-two LCG with `% n`: its low bits cycle too soon, and some
// entries of a list were never drawn (a test that compared patched and original modules missed a
// wrong width that way).

/** Numbers in [0, 1), the same sequence for the same seed. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers in [0, n) from a seeded generator. */
export function seededBelow(seed: number): (n: number) => number {
  const next = seeded(seed);
  return (n) => Math.floor(next() * n);
}
