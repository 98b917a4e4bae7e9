// `plan` writes the text view as UTF-8 buffers (textChunks) instead of one string (issue 25): the
// bytes must be formatText()'s with its final line feed, on the clean one-scan path, on the
// line-by-line path a control character forces, with colour, and across buffer boundaries.
import { describe, expect, it } from 'vitest';
import { formatText, textChunks } from '../../src/plan/format/text.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';

const { plan, catalogue } = loadPlan('examples/ent-pa.yaml');
const productNames = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));

const bytes = (p: Plan, color: boolean) => Buffer.concat(textChunks(p, { color, productNames }));
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
    const chunks = textChunks(big, { color: false, productNames });
    expect(chunks.length).toBeGreaterThan(1);
    const got = Buffer.concat(chunks);
    expect(got.equals(expected(big, false))).toBe(true);
    expect(got.subarray(-2).toString()).not.toBe('\n\n');
  });

  it('a plan of no step: the heading and one line feed', () => {
    const empty: Plan = { ...plan, steps: [] };
    expect(bytes(empty, false).equals(expected(empty, false))).toBe(true);
  });
});
