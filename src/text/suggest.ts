// "Did you mean …?" for a mistyped command, flag, product or step: the known names closest by
// edit distance (Damerau: a swapped pair of letters is one edit, the most common typo), within a
// distance that grows with the length of the word, so `--invntory` finds `--inventory` and `x`
// suggests nothing.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known names closest to `word` (case-insensitive), best first; at most `max`. */
export function closest(word: string, known: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  // A prefix of a known name is a strong hint (`--inv` → `--inventory`).
  const limit = Math.max(1, Math.floor(w.replace(/^-+/, '').length / 3));
  return known
    .map((k) => {
      const kl = k.toLowerCase();
      const dist = kl.startsWith(w) && w.replace(/^-+/, '').length >= 2 ? 0.5 : editDistance(w, kl);
      return { k, dist };
    })
    .filter((x) => x.dist <= limit)
    .sort((x, y) => x.dist - y.dist || x.k.localeCompare(y.k))
    .slice(0, max)
    .map((x) => x.k);
}

/** " Did you mean X?" / " Did you mean X or Y?", or "" when nothing is close. */
export function didYouMean(word: string, known: readonly string[]): string {
  const c = closest(word, known);
  if (c.length === 0) return '';
  return ` Did you mean ${c.length === 1 ? c[0] : `${c.slice(0, -1).join(', ')} or ${c.at(-1)}`}?`;
}
