// Hashes that let a resumed session tell what changed since it began. They are computed over a
// canonical JSON (sorted keys) so that key order in the Plan object never looks like a change.
// Secret dialogue answers are left out of every hash: a hash of a short passphrase can be
// brute-forced, and the session file must never carry anything derived from a secret.
import type { Plan, PlannedStep } from '../plan/types.js';
import { sha256Hex } from '../sha256.js';

/**
 * JSON of a key-sorted copy: the definition the hashes in session files were taken with, so its
 * text must not change by a byte (test/session/canonical-json.test.ts holds it to the definition).
 * Note for whoever would write this text directly instead (issue 25 tried; measured slower, cold
 * and warm, than the copy and V8's native JSON.stringify): the copy's keys come out of
 * JSON.stringify with its array-index keys ('0' to '4294967294') first in numeric order, the
 * others in sort order, so {"10", "9"} is written "9" first; and a `__proto__` key vanishes
 * (`out.__proto__ = …` sets the copy's prototype).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * sortKeys as defined (the copy's keys added in sort order, undefined values left out, arrays
 * mapped), written with index loops and primitives not passed through a call: the start-up path
 * runs it cold, in the interpreter, over every value of the plan (issue 25).
 */
function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out[i] = typeof v === 'object' && v !== null ? sortKeys(v) : v;
    }
    return out;
  }
  const keys = Object.keys(value).sort();
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = typeof v === 'object' && v !== null ? sortKeys(v) : v;
  }
  return out;
}

/** sortKeys of an object whose values under `sorted`'s keys are sortKeys'd already (`sorted`'s). */
function sortKeysReusing(value: Record<string, unknown>, sorted: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v !== undefined) out[key] = Object.hasOwn(sorted, key) ? sorted[key] : sortKeys(v);
  }
  return out;
}

/** What the operator or the runner will actually do for a step, without secrets. */
function renderedPart(step: PlannedStep): Record<string, unknown> {
  return { kind: step.kind, actions: maskedActions(step.actions), gui: step.gui, instructions: step.instructions, checkpoint: step.checkpoint };
}

/**
 * The actions with every secret dialogue answer as '<secret>'. Without a secret answer, the
 * actions themselves: their copy would hold the same keys and values, so the same canonical text.
 */
function maskedActions(actions: PlannedStep['actions']): PlannedStep['actions'] {
  if (!actions.some((a) => a.exchanges.some((x) => x.dialogue.some((d) => d.secret === true)))) return actions;
  return actions.map((a) => ({
    ...a,
    exchanges: a.exchanges.map((x) => ({
      ...x,
      dialogue: x.dialogue.map((d) => (d.secret === true ? { ...d, answer: d.answer === undefined ? undefined : '<secret>' } : d)),
    })),
  }));
}

/** sha256 of a step's rendered commands, GUI path, instructions and checkpoint. */
export function stepCommandsHash(step: PlannedStep): string {
  return sha256Hex(canonicalJson(renderedPart(step)));
}

/** sha256 of the whole plan, secrets masked; the change record (document header only) left out. */
export function planHash(plan: Plan): string {
  return sha256Hex(canonicalJson({ ...plan, change: undefined, steps: plan.steps.map((s) => ({ ...s, ...renderedPart(s) })) }));
}

/** The plan's hash and every step's commands hash, as planHash and stepCommandsHash give them. */
export interface PlanHashes {
  plan: string;
  /** stepCommandsHash of each step, in the order of plan.steps. */
  steps: readonly string[];
}

/**
 * planHash and each step's stepCommandsHash in one pass (opening a session needs all of them
 * before the wizard's first frame; issue 25). Each step's rendered part is key-sorted once, and
 * that sorted copy serves both its commands hash and its place in the plan's text, where the plan
 * was sorted whole twice and every step once more before. The values are planHash's and
 * stepCommandsHash's, bit for bit (test/session/hash.test.ts holds them to it): the sorted copies
 * are the ones sortKeys builds, only not built again.
 */
export function planHashes(plan: Plan): PlanHashes {
  const steps: string[] = [];
  const sortedSteps = plan.steps.map((s) => {
    const rendered = renderedPart(s);
    const sorted = sortKeys(rendered) as Record<string, unknown>;
    steps.push(sha256Hex(JSON.stringify(sorted)));
    return sortKeysReusing({ ...s, ...rendered }, sorted);
  });
  return { plan: sha256Hex(JSON.stringify(sortKeysReusing({ ...plan, change: undefined }, { steps: sortedSteps }))), steps };
}

/** Secret answers present in a plan: the journal refuses to write any of them. */
export function planSecrets(plan: Plan): string[] {
  const out = new Set<string>();
  for (const step of plan.steps)
    for (const action of step.actions)
      for (const x of action.exchanges)
        for (const d of x.dialogue) if (d.secret === true && d.answer !== undefined && d.answer.length >= 4) out.add(d.answer);
  return [...out];
}
