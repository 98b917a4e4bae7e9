// Release names as the catalogue compares them (`when: cms.version >= '3.0'`): an optional
// product letter prefix (Expressway "X"), dotted numbers, an optional ".x" (any minor release of
// that major: compares as .0) and an optional Unified CM service update "SU<n>". Numbers compare
// numerically, component by component, a missing component counting as 0, so that
// '12.5' < '14' < '14SU2' < '15' and 'X14' < 'X15' < 'X15.4' < 'X15.10'. Two releases compare only
// when their prefixes agree ('X15' against '15' is a defect in the catalogue, not an answer).

export interface Version {
  prefix: string;
  parts: number[];
}

const VERSION = /^([A-Za-z]*)(\d{1,6}(?:\.\d{1,6})*)(\.x)?(?:SU(\d{1,6}))?$/i;
/** Release components compared before the service update (major, minor, maintenance, build). */
const RELEASE_PARTS = 4;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m || m[2] === undefined) return undefined;
  const release = m[2].split('.').map(Number);
  if (release.length > RELEASE_PARTS) return undefined;
  while (release.length < RELEASE_PARTS) release.push(0);
  return { prefix: (m[1] ?? '').toUpperCase(), parts: [...release, m[4] === undefined ? 0 : Number(m[4])] };
}

/** Negative, zero or positive as a is before, the same as, or after b; throws when either is no release or the prefixes differ. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va) throw new Error(`"${a}" is not a release name (such as 15, 12.5, 14SU2, X15.4 or 3.x)`);
  if (!vb) throw new Error(`"${b}" is not a release name (such as 15, 12.5, 14SU2, X15.4 or 3.x)`);
  if (va.prefix !== vb.prefix) throw new Error(`cannot compare release "${a}" with "${b}": they name different products`);
  for (let i = 0; i < va.parts.length; i++) {
    const d = (va.parts[i] ?? 0) - (vb.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
