// The README's opening counts (how many steps the catalogue holds, how many each shipped example
// plans, which it leaves out and why) are computed here from the catalogue and the example plans,
// so a step added to steps/ or a changed `when:` fails this test until the README says so. (It
// once said "126 steps (S001–S126)" long after S127 and the pre-flight checks had landed.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exprPaths, parseExpr } from '../../src/catalogue/expr.js';
import type { CatalogueStep } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { loadPlan } from '../../src/plan/load-plan.js';

const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// The paragraph that states the counts (the README's prose is hard-wrapped: fold it to one line).
const paragraph = (readme.split(/\n\s*\n/).find((p) => p.includes('steps in the catalogue')) ?? '').replace(/\s+/g, ' ');
const examples = ['ent-pa', 'chapter-2019'];
const loaded = examples.map((e) => loadPlan(join(root, 'examples', `${e}.yaml`)));
const catalogue = loaded[0]!.catalogue;
/** The ids one example plans. */
const plannedIds = (example: string) => new Set(loaded[examples.indexOf(example)]!.plan.steps.map((s) => s.id));
const total = catalogue.steps.length;

/** The ids of one letter, checked to be contiguous from 001 (so "X001–X0nn" says all of them). */
function range(letter: string): string {
  const ids = catalogue.steps.map((s) => s.id).filter((id) => id.startsWith(letter));
  expect(ids, `${letter} ids`).toEqual(ids.map((_, i) => `${letter}${String(i + 1).padStart(3, '0')}`));
  return `${ids[0]}–${ids.at(-1)}`;
}

/** The text about one example: from its link to the next example's link or the paragraph's end. */
function about(example: string): string {
  const start = paragraph.indexOf(`(examples/${example}.yaml)`);
  expect(start, `the paragraph names examples/${example}.yaml`).toBeGreaterThanOrEqual(0);
  const next = paragraph.indexOf('(examples/', start + 1);
  return paragraph.slice(start, next < 0 ? undefined : next);
}

/**
 * The inventory fields a step's applicability reads (its `when:` and its targets' `where:`), as
 * the README would name them: a target node's own field without `node.`, and none of the derived
 * `has.*` (which only say a product is in the inventory).
 */
function conditionFields(step: CatalogueStep): string[] {
  const exprs = [step.when, typeof step.targets === 'object' ? step.targets.where : undefined].filter((e): e is string => e !== undefined);
  return exprs
    .flatMap((e) => exprPaths(parseExpr(e)))
    .filter((p) => p[0] !== 'has')
    .map((p) => (p[0] === 'node' ? p.slice(1) : p).join('.'));
}

describe('the README', () => {
  it('states how many steps the catalogue holds, and their id ranges', () => {
    expect(paragraph, 'a paragraph saying "N steps in the catalogue"').not.toBe('');
    const outline = catalogue.steps.filter((s) => s.id.startsWith('S')).length;
    expect(paragraph).toContain(`${outline} steps (${range('S')})`);
    expect(paragraph).toContain(`(${range('P')})`);
    expect(paragraph).toContain(`(${range('V')})`);
    expect(paragraph).toContain(`${total} steps in the catalogue`);
  });

  it.each(examples)('states how many steps examples/%s.yaml plans and names every step it leaves out', (example) => {
    const planned = plannedIds(example);
    const left = catalogue.steps.filter((s) => !planned.has(s.id)).map((s) => s.id);
    const text = about(example);
    expect(text).toContain(`plans ${planned.size} of the ${total}`);
    expect([...new Set(text.match(/\b[PSV]\d{3}\b/g) ?? [])].sort(), `the steps named as left out of ${example}`).toEqual(left);
  });

  it('says why each left-out step is left out, naming an inventory field its condition reads', () => {
    const planned = examples.map(plannedIds);
    const left = catalogue.steps.filter((s) => planned.some((p) => !p.has(s.id)));
    expect(left.length, 'some step is left out of an example (else this test checks nothing)').toBeGreaterThan(0);
    const quoted = [...paragraph.matchAll(/`([^`]*)`/g)].map((m) => m[1] ?? '');
    for (const step of left) {
      const fields = conditionFields(step);
      expect(fields.length, `${step.id} has an applicability condition`).toBeGreaterThan(0);
      const named = fields.filter((f) => quoted.some((q) => new RegExp(`(?<!\\w)${f.replace(/\./g, '\\.')}(?!\\w)`).test(q)));
      expect(named, `${step.id}: the README quotes one of ${fields.join(', ')}`).not.toEqual([]);
    }
  });
});
