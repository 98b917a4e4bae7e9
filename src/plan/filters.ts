// The --product / --step filters of plan, run and resume, as operators type them: any case
// (`s022`, `CUCM`), ids or slugs, ranges in catalogue order (`S022-S024`), comma lists. Unknown
// names are a usage error with the closest known names; the result is canonical ids, so the
// plan builder and the session never see a spelling.
import type { Catalogue } from '../catalogue/load.js';
import { ExitCode, UserError } from '../errors.js';
import { didYouMean } from '../text/suggest.js';

export interface PlanFilters {
  products?: string[];
  steps?: string[];
}

/** Canonical product ids and step ids for what was typed; throws a usage error naming every unknown one. */
export function normalizeFilters(cat: Catalogue, f: PlanFilters): PlanFilters {
  const problems: string[] = [];
  const productIds = cat.products.map((p) => p.id);
  const products: string[] = [];
  for (const typed of f.products ?? []) {
    const id = productIds.find((p) => p.toLowerCase() === typed.toLowerCase());
    if (id) products.push(id);
    else problems.push(`unknown product "${typed}".${didYouMean(typed, productIds)} (known: ${productIds.join(', ')})`);
  }
  const order = cat.steps.map((s) => s.id);
  const byName = new Map(cat.steps.flatMap((s) => [[s.id.toLowerCase(), s.id] as const, [s.slug.toLowerCase(), s.id] as const]));
  const steps: string[] = [];
  const unknown = (typed: string) =>
    problems.push(`unknown step "${typed}".${didYouMean(typed, [...order, ...cat.steps.map((s) => s.slug)])} (use an id such as S022, a range such as S022-S024, or a slug such as cucm-mixed-mode-enable)`);
  for (const typed of f.steps ?? []) {
    const range = /^([A-Za-z]\d+)-([A-Za-z]\d+)$/.exec(typed);
    if (range) {
      const from = byName.get(range[1]!.toLowerCase());
      const to = byName.get(range[2]!.toLowerCase());
      if (!from || !to) {
        unknown(!from ? range[1]! : range[2]!);
        continue;
      }
      const [a, b] = [order.indexOf(from), order.indexOf(to)];
      if (a > b) {
        problems.push(`step range "${typed}" runs backwards (${from} comes after ${to} in the catalogue)`);
        continue;
      }
      steps.push(...order.slice(a, b + 1));
      continue;
    }
    const id = byName.get(typed.toLowerCase());
    if (id) steps.push(id);
    else unknown(typed);
  }
  if (problems.length) throw new UserError(problems.join('\n'), 'See `collabsec plan --help`.', ExitCode.usage);
  return { products: [...new Set(products)], steps: [...new Set(steps)] };
}

/** Filters that select no step of this inventory are a usage error, not an empty runbook. */
export function checkSelection(f: PlanFilters, selected: number): void {
  const given = (f.products?.length ?? 0) + (f.steps?.length ?? 0);
  if (given === 0 || selected > 0) return;
  const what = [f.products?.length ? `product ${f.products.join(', ')}` : '', f.steps?.length ? `step ${f.steps.join(', ')}` : ''].filter(Boolean).join(' and ');
  throw new UserError(
    `the filters (${what}) select no step that applies to this inventory`,
    'A step can be left out by its `when:` (a feature or node this inventory does not have). Run `collabsec plan --inventory FILE` without filters to see every step that applies.',
    ExitCode.usage,
  );
}
