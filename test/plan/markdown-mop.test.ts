// The MOP says what the text plan says (issue 25, from issue 12 "Change documents"): a step that
// reads several nodes lists every node's reads (P012/P013 showed only the first target's), and
// each markdown warning is a paragraph of its own (consecutive `>` lines ran together).
import { describe, expect, it } from 'vitest';
import { formatMarkdown } from '../../src/plan/format/markdown.js';
import { formatText } from '../../src/plan/format/text.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';

/** The markdown of one step: from its anchor to the next one. */
function section(md: string, id: string): string {
  const from = md.indexOf(`<a id="${id.toLowerCase()}"></a>`);
  const to = md.indexOf('<a id="', from + 1);
  return md.slice(from, to < 0 ? undefined : to);
}

describe.each(['examples/ent-pa.yaml', 'examples/chapter-2019.yaml'])('plan --format markdown of %s', (inventory) => {
  const { plan, catalogue } = loadPlan(inventory);
  const names = Object.fromEntries(catalogue.products.map((p) => [p.id, p.name]));
  const md = formatMarkdown(plan, names, 'inventory.yaml');
  const one = (p: Plan, id: string) => ({ ...p, steps: p.steps.filter((s) => s.id === id) });

  it('lists every read the text plan verifies with, per step, each on the target it reads', () => {
    let perTarget = 0;
    for (const s of plan.steps) {
      const text = formatText(one(plan, s.id), { color: false, productNames: names });
      const reads = [...text.matchAll(/verified by: (.+)$/gm)].map((m) => m[1]!);
      const mine = section(md, s.id);
      for (const r of reads) expect(mine, `${s.id}: ${r}`).toContain(`\`${r}\``);
      if (s.actions.some((a) => a.checkpoint)) {
        perTarget += 1;
        for (const a of s.actions) expect(mine, `${s.id} on ${a.target}`).toContain(`**Checkpoint on ${a.target} (`);
      }
    }
    // The example has steps whose targets read different things (the DNS and NTP pre-flight).
    expect(perTarget).toBeGreaterThan(0);
  });

  it('P013 (Unity Connection DNS) reads every Unity Connection node, not the first only', () => {
    const targets = plan.steps.find((s) => s.id === 'P013')?.actions.map((a) => a.target) ?? [];
    expect(targets.length).toBeGreaterThan(1);
    const mine = section(md, 'P013');
    for (const t of targets) expect(mine).toMatch(new RegExp(`\`utils network host ${t}\\.`));
  });

  it('each warning is a paragraph of its own', () => {
    const lines = md.split('\n');
    const runs = lines.filter((l, i) => l.startsWith('> ') && lines[i + 1]?.startsWith('> '));
    expect(runs).toEqual([]);
    expect(lines.filter((l) => l.startsWith('> **Warning:**')).length).toBeGreaterThan(1);
  });
});
