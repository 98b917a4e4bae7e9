// Baselines for the evidence pack: a step may declare `baseline: <name>` (steps/*.yaml), and its
// checkpoint's read is kept in the journal per target (CheckpointResult.readings). Per name, the
// first step of the plan that declares it is the "before", the last the "after"; each side shows
// the latest read recorded for that step and target. Nothing here knows what was read.
import type { Plan } from '../plan/types.js';
import type { SessionState } from './state.js';

export interface BaselineRead {
  stepId: string;
  at: string;
  command: string;
  output: string;
}

export interface BaselineRow {
  target: string;
  before?: BaselineRead;
  after?: BaselineRead;
}

export interface Baseline {
  name: string;
  beforeStep: string;
  /** Absent when a single step declares the name (there is no later read to compare). */
  afterStep?: string;
  rows: BaselineRow[];
}

/** The latest read each target recorded for one step under one name. */
function reads(state: SessionState, stepId: string, name: string): Map<string, BaselineRead> {
  const out = new Map<string, BaselineRead>();
  for (const e of state.steps[stepId]?.history ?? []) {
    for (const r of e.checkpoint?.readings ?? []) {
      if (r.baseline === name) out.set(r.target, { stepId, at: e.at, command: r.command, output: r.output });
    }
  }
  return out;
}

export function baselines(plan: Plan, state: SessionState): Baseline[] {
  const byName = new Map<string, string[]>();
  for (const s of plan.steps) if (s.baseline !== undefined) byName.set(s.baseline, [...(byName.get(s.baseline) ?? []), s.id]);
  const out: Baseline[] = [];
  for (const [name, ids] of byName) {
    const beforeStep = ids[0]!;
    const afterStep = ids.length > 1 ? ids.at(-1)! : undefined;
    const before = reads(state, beforeStep, name);
    const after = afterStep !== undefined ? reads(state, afterStep, name) : new Map<string, BaselineRead>();
    const targets = [...new Set([...before.keys(), ...after.keys()])];
    out.push({
      name,
      beforeStep,
      ...(afterStep !== undefined ? { afterStep } : {}),
      rows: targets.map((target) => ({ target, ...(before.has(target) ? { before: before.get(target)! } : {}), ...(after.has(target) ? { after: after.get(target)! } : {}) })),
    });
  }
  return out;
}

/** Whether the two reads print the same text (line endings and trailing blanks aside). */
export function unchanged(row: BaselineRow): boolean | undefined {
  if (row.before === undefined || row.after === undefined) return undefined;
  const norm = (t: string) => t.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd()).join('\n').trim();
  return norm(row.before.output) === norm(row.after.output);
}
