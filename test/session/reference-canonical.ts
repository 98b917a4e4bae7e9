// canonicalJson as it is defined (src/session/hash.ts), frozen here: JSON.stringify of a copy with
// its keys sorted and undefined values left out. Session files hold hashes of this text, so the
// tests hold the code to this copy, not to itself.
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function referenceCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
