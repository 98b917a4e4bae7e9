// What the inventory says a certificate for one role must name. Kept apart from the mapping so
// the checks do not depend on the inventory schema.
import type { KeyChoice } from '../../inventory/keys.js';

export interface Expectation {
  /** What was selected, for messages: "Unified CM cluster us", "node us-expc1". */
  scope: string;
  /** Exact CN required (case-insensitive). */
  cn?: string;
  /** Otherwise the CN must be one of these (per-node certificates of a cluster). */
  cnOneOf?: string[];
  /** dNSName SANs that must all be present, each with why (shown when missing). */
  sans: { name: string; why: string }[];
  /** SANs whose absence is only a warning (browsers ignore the CN; the chapter is silent). */
  recommendedSans?: { name: string; why: string }[];
  /** The key the inventory chooses for the product (review-2026 A.14), and the field that says so. */
  key?: { choice: KeyChoice; field: string };
}
