// The reads of a rendered checkpoint as one list: a checkpoint carries one read, or several when
// the catalogue repeats it per element (`verify.each`, e.g. one `utils network host` per FQDN).
import type { RenderedCheckpoint, VerifyExpectation } from './types.js';

/** The checkpoint's automatic reads, in the order they run (none: the operator answers). */
export function verifications(cp: Pick<RenderedCheckpoint, 'verify'> | undefined): VerifyExpectation[] {
  const v = cp?.verify;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
