// planHashes, the one-pass hashing a session open uses (issue 25: the first frame), against planHash
// and stepCommandsHash as they were defined (a reference copy here, so a change to either side
// shows): a session written by either must read the same to the other, or every session would
// show as "plan changed" after an upgrade.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { largeInventoryText } from '../../bench/large-inventory.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { planHash, planHashes, stepCommandsHash } from '../../src/session/hash.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';
import { referenceCanonicalJson } from './reference-canonical.js';

afterAll(removeTempDirs);
const open: Session[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const examples = path.join(import.meta.dirname, '..', '..', 'examples');

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
/** planHash and stepCommandsHash as they were defined, on the reference text. */
function referenceHashes(plan: Plan): { plan: string; steps: string[] } {
  const rendered = (s: PlannedStep) => ({
    kind: s.kind,
    actions: s.actions.map((a) => ({ ...a, exchanges: a.exchanges.map((x) => ({ ...x, dialogue: x.dialogue.map((d) => (d.secret === true ? { ...d, answer: d.answer === undefined ? undefined : '<secret>' } : d)) })) })),
    gui: s.gui,
    instructions: s.instructions,
    checkpoint: s.checkpoint,
  });
  return {
    plan: sha(referenceCanonicalJson({ ...plan, change: undefined, steps: plan.steps.map((s) => ({ ...s, ...rendered(s) })) })),
    steps: plan.steps.map((s) => sha(referenceCanonicalJson(rendered(s)))),
  };
}

function expectSameAsDefinitions(plan: Plan): void {
  const want = referenceHashes(plan);
  expect(planHashes(plan)).toEqual(want);
  expect(planHash(plan)).toBe(want.plan);
  expect(plan.steps.map(stepCommandsHash)).toEqual(want.steps);
}

describe('planHashes', () => {
  for (const file of ['ent-pa.yaml', 'chapter-2019.yaml'])
    it(`equals planHash and every stepCommandsHash on ${file}`, () => {
      const { plan } = loadPlan(path.join(examples, file));
      expect(plan.steps.length).toBeGreaterThan(100);
      expectSameAsDefinitions(plan);
    });

  it('equals them on the example grown to 50 clusters of 10 nodes (bench/large-inventory.ts)', async () => {
    const file = path.join(await tempDir(), 'large.yaml');
    writeFileSync(file, largeInventoryText(path.join(examples, '..')));
    const { plan } = loadPlan(file);
    const small = loadPlan(path.join(examples, 'ent-pa.yaml')).plan;
    // The grown inventory reaches the plan (more targets), so this is not the example again.
    expect(JSON.stringify(plan).length).toBeGreaterThan(2 * JSON.stringify(small).length);
    expectSameAsDefinitions(plan);
  });

  it('equals them with secret answers, a change record, undefined fields, shuffled and odd keys', () => {
    const plan = makePlan({ steps: 6 });
    plan.change = { number: 'CHG1' };
    const first = plan.steps[0]!;
    plan.steps[0] = Object.fromEntries(Object.entries(first).reverse()) as typeof first;
    plan.steps[1] = { ...plan.steps[1]!, gui: undefined, instructions: undefined } as unknown as PlannedStep;
    // Keys JavaScript orders by number, and one that a plain assignment does not copy.
    plan.steps[2] = { ...plan.steps[2]!, ...JSON.parse('{"10": 1, "2": [null], "__proto__": {"x": 1}, "a b": "é →"}') } as PlannedStep;
    plan.steps[3]!.checkpoint = { ...plan.steps[3]!.checkpoint, ...JSON.parse('{"9": "nine", "10": "ten"}') } as PlannedStep['checkpoint'];
    expectSameAsDefinitions(plan);
  });

  it('changes with one command of one step (that step only), not with a secret or the change record', () => {
    const a = makePlan({ steps: 6 });
    const b = makePlan({ steps: 6, changed: { S004: ' changed' } });
    const ha = planHashes(a);
    const hb = planHashes(b);
    expect(hb.plan).not.toBe(ha.plan);
    expect(hb.plan).toBe(planHash(b));
    expect(hb.steps.map((h, i) => h === ha.steps[i])).toEqual([true, true, true, false, true, true]);

    const c = structuredClone(a);
    c.steps[0]!.actions[0]!.exchanges[0]!.dialogue[0]!.answer = 'another-secret';
    c.change = { number: 'CHG2' };
    expect(planHashes(c)).toEqual(ha);
  });
});

describe('a session opened with the hashes computed once', () => {
  it('records planHash and each stepCommandsHash, and a changed plan on reopening needs acceptance', async () => {
    const dir = await tempDir();
    const where = { inventoryPath: path.join(dir, 'inv.yaml'), dir: path.join(dir, '.collabsec'), name: 'lab' };
    const plan = makePlan({ steps: 8 });
    const s = await openSession({ plan, ...where });
    open.push(s);
    expect(s.state.planHash).toBe(planHash(plan));
    for (const step of plan.steps) expect(s.state.steps[step.id]!.commandsHash).toBe(stepCommandsHash(step));
    expect(s.needsPlanAcceptance).toBe(false);
    await s.close();

    const changed = makePlan({ steps: 8, changed: { S002: ' x' } });
    const r = await openSession({ plan: changed, ...where });
    open.push(r);
    expect(r.needsPlanAcceptance).toBe(true);
    expect(r.diff.changed.map((c) => c.id)).toEqual(['S002']);
    await r.acceptPlan();
    expect(r.needsPlanAcceptance).toBe(false);
    expect(r.state.planHash).toBe(planHash(changed));
    expect(r.state.steps.S002!.commandsHash).toBe(stepCommandsHash(changed.steps[1]!));
  });
});
