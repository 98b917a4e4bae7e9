// `plan` writes the text view as UTF-8 buffers (textChunks) instead of one string (issue 25): the
// bytes must be formatText()'s with its final line feed, on the clean one-scan path, on the
// line-by-line path a control character forces, with colour, and across buffer boundaries.
import { describe, expect, it } from 'vitest';
import { formatText, textChunks } from '../../src/plan/format/text.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';

const { plan, catalogue } = loadPlan('examples/ent-pa.yaml');
const productNames = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));

const bytes = (p: Plan, color: boolean) => Buffer.concat([...textChunks(p, { color, productNames })]);
const expected = (p: Plan, color: boolean) => {
  const text = formatText(p, { color, productNames });
  return Buffer.from(text.endsWith('\n') ? text : `${text}\n`);
};

describe('textChunks', () => {
  it.each([false, true])('colour %s: the bytes of formatText with its final line feed', (color) => {
    const got = bytes(plan, color);
    expect(got.equals(expected(plan, color))).toBe(true);
    expect(got.toString('utf8')).toContain('↳');
  });

  it('a value with a control character or a line feed of its own takes the line-by-line path, same bytes', () => {
    for (const evil of ['show\u001b[2J run', 'two\nlines', 'marker\ue001']) {
      const step = plan.steps[0]!;
      const hostile: Plan = { ...plan, steps: [{ ...step, summary: evil }, ...plan.steps.slice(1)] };
      expect(bytes(hostile, false).equals(expected(hostile, false))).toBe(true);
      expect(bytes(hostile, false).toString('utf8')).not.toContain('\u001b');
    }
  });

  it('spans several buffers for a large plan and ends with exactly one line feed', () => {
    // 40 copies of the example's steps: several MB, so several buffers, boundaries between lines.
    const big: Plan = { ...plan, steps: Array.from({ length: 40 }, () => plan.steps).flat() };
    const chunks = [...textChunks(big, { color: false, productNames })];
    expect(chunks.length).toBeGreaterThan(1);
    const got = Buffer.concat(chunks);
    expect(got.equals(expected(big, false))).toBe(true);
    expect(got.subarray(-2).toString()).not.toBe('\n\n');
  });

  it('a hostile value in one step leaves the steps around it, and the blocks they share, as they were', () => {
    const i = Math.floor(plan.steps.length / 2);
    const step = plan.steps[i]!;
    const hostile: Plan = { ...plan, steps: plan.steps.map((s, j) => (j === i ? { ...step, summary: 'two\nlines\u001b[2J' } : s)) };
    const clean = bytes(plan, false).toString('utf8');
    const got = bytes(hostile, false).toString('utf8');
    expect(got).toBe(clean.replace(`    ${step.summary}\n`, '    two lines\n'));
    expect(bytes(hostile, false).equals(expected(hostile, false))).toBe(true);
  });

  it('is made as it is taken: the first buffer comes before the plan is all written', () => {
    // Each step counts when its summary is written (stepText reads it once).
    let written = 0;
    const counted = (s: Plan['steps'][number]) => {
      const { summary, ...rest } = s;
      return Object.defineProperty({ ...rest }, 'summary', { enumerable: true, get: () => (written++, summary) }) as Plan['steps'][number];
    };
    const big: Plan = { ...plan, steps: Array.from({ length: 40 }, () => plan.steps.map(counted)).flat() };
    const it = textChunks(big, { color: false, productNames })[Symbol.iterator]();
    const first = it.next();
    expect(first.done).toBe(false);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(big.steps.length / 4);
    let rest = 0;
    for (let r = it.next(); !r.done; r = it.next()) rest++;
    expect(rest).toBeGreaterThan(10);
    expect(written).toBe(big.steps.length);
  });

  it('a plan of no step: the heading and one line feed', () => {
    const empty: Plan = { ...plan, steps: [] };
    expect(bytes(empty, false).equals(expected(empty, false))).toBe(true);
  });
});
