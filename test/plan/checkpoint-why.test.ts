// Issue 22: a checkpoint the operator answers says why no machine can (what cannot be read, and
// through which interface it might be); one a machine checks carries no such excuse. Checked on
// both examples, whose inventories differ in what they offer (e.g. Expressway admin SSH).
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/plan/format/text.js';
import { formatMarkdown } from '../../src/plan/format/markdown.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { RenderedCheckpoint } from '../../src/plan/types.js';

const machineChecked = (cp: RenderedCheckpoint) => Object.entries(cp).some(([k, v]) => !['question', 'origin', 'why'].includes(k) && v !== undefined);

describe.each(['examples/ent-pa.yaml', 'examples/chapter-2019.yaml'])('the checkpoints of %s', (inventory) => {
  const { plan } = loadPlan(inventory);
  it('say why exactly when nothing reads the result by machine', () => {
    const missing: string[] = [];
    const needless: string[] = [];
    for (const s of plan.steps) {
      const cp = s.checkpoint;
      if (!machineChecked(cp) && (cp.why ?? '').trim() === '') missing.push(s.id);
      if (machineChecked(cp) && cp.why !== undefined) needless.push(s.id);
    }
    expect(missing, 'operator checkpoints without a why').toEqual([]);
    expect(needless, 'machine-checked checkpoints that still carry a why').toEqual([]);
  });
});

describe('the why in the change document', () => {
  const { plan } = loadPlan('examples/ent-pa.yaml');
  const s010 = { ...plan, steps: plan.steps.filter((s) => s.id === 'S010') };
  it('is printed under the checkpoint in the runbook and the MOP', () => {
    expect(formatText(s010, { color: false, productNames: {} })).toMatch(/Checkpoint \(suggested\): Do the Certificate Monitor values persist after Save\?\n\s+answered by the operator: AXL has no operation for the Certificate Monitor, and no VOS CLI command shows its settings/);
    expect(formatMarkdown(s010, {}, 'ent-pa.yaml')).toContain('Answered by the operator: AXL has no operation for the Certificate Monitor, and no VOS CLI command shows its settings');
  });
});
