// Issue 22: a checkpoint the operator answers says why no machine can (what cannot be read, and
// through which interface it might be); one a machine checks carries no such excuse. Checked on
// both examples, whose inventories differ in what they offer (e.g. Expressway admin SSH).
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { targetShapes } from '../../src/inventory/shapes.js';
import { formatText } from '../../src/plan/format/text.js';
import { formatMarkdown } from '../../src/plan/format/markdown.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { RenderedCheckpoint } from '../../src/plan/types.js';

const machineChecked = (cp: RenderedCheckpoint) => Object.entries(cp).some(([k, v]) => !['question', 'origin', 'why'].includes(k) && v !== undefined);

const examples = ['examples/ent-pa.yaml', 'examples/chapter-2019.yaml'];

describe.each(examples)('the checkpoints of %s', (inventory) => {
  const { plan } = loadPlan(inventory);
  it('say why wherever nothing reads the result by machine', () => {
    const missing = plan.steps.filter((s) => !machineChecked(s.checkpoint) && (s.checkpoint.why ?? '').trim() === '').map((s) => s.id);
    expect(missing, 'operator checkpoints without a why').toEqual([]);
  });
});

describe('the catalogue', () => {
  it('gives no why to a step a machine checks in every example (a stale excuse)', () => {
    const plans = examples.map((i) => loadPlan(i).plan);
    const alwaysChecked = (id: string) => plans.every((p) => p.steps.some((s) => s.id === id && machineChecked(s.checkpoint)));
    const cat = loadCatalogue(packageRoot(), { shapes: targetShapes });
    const stale = cat.steps.filter((s) => s.checkpoint.why !== undefined && alwaysChecked(s.id)).map((s) => s.id);
    expect(stale).toEqual([]);
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
