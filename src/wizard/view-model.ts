// Pure derivations shared by the ink UI and the plain (no TTY) mode, so both say the same thing
// about a step: the same marks, the same rendered command lines, the same confirmation word.
import type { Action, PlannedStep, Plan, RenderedBackout, RenderedCommand } from '../plan/types.js';
import type { StepStatus } from '../session/index.js';
import { automaticCheckLabel, hasAutomaticCheck } from './reach.js';
import { platformSpec } from '../transport/platforms/index.js';
import { REHEARSAL, stepTodo, type TaskMode } from './step-task.js';

/** Status as the operator sees it ("started" is "in progress"; an override counts as done). */
export type DisplayStatus = 'pending' | 'in-progress' | 'interrupted' | 'in-doubt' | 'verified' | 'overridden' | 'failed' | 'skipped' | 'backed-out';

export function displayStatus(s: StepStatus): DisplayStatus {
  return s === 'started' ? 'in-progress' : s;
}

/** One ASCII-safe mark per status: readable without colour (NO_COLOR, screen readers, logs). */
export const statusMark: Record<DisplayStatus, string> = {
  pending: '[ ]',
  'in-progress': '[>]',
  interrupted: '[?]',
  'in-doubt': '[~]',
  verified: '[x]',
  overridden: '[o]',
  failed: '[!]',
  skipped: '[-]',
  'backed-out': '[<]',
};

export const statusLabel: Record<DisplayStatus, string> = {
  pending: 'pending',
  'in-progress': 'in progress',
  interrupted: 'interrupted',
  'in-doubt': 'in doubt',
  verified: 'verified',
  overridden: 'overridden',
  failed: 'failed',
  skipped: 'skipped',
  'backed-out': 'backed out',
};

export interface ProductGroup {
  product: string;
  steps: PlannedStep[];
}

/** Steps grouped by product in plan order of each product's first step (the plan's own order inside a group). */
export function groupByProduct(plan: Plan): ProductGroup[] {
  const groups = new Map<string, ProductGroup>();
  for (const step of plan.steps) {
    const g = groups.get(step.product) ?? { product: step.product, steps: [] };
    groups.set(step.product, g);
    g.steps.push(step);
  }
  return [...groups.values()];
}

/**
 * Steps matching `query` (case-insensitive, a part of the id, slug, title, or a node's name or
 * address), in display order. An empty query matches nothing.
 */
export function findSteps(plan: Plan, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const hay = (s: PlannedStep): string[] => [s.id, s.slug, s.title, ...s.actions.flatMap((a) => [a.target, a.host ?? ''])];
  return displayOrder(plan).filter((id) => {
    const s = plan.steps.find((x) => x.id === id);
    return s !== undefined && hay(s).some((h) => h.toLowerCase().includes(q));
  });
}

/** Step ids in display order (grouped), which is the order the cursor walks. */
export function displayOrder(plan: Plan): string[] {
  return groupByProduct(plan).flatMap((g) => g.steps.map((s) => s.id));
}

/**
 * What the operator types to confirm a disruptive step: always the step id, the same kind of
 * word everywhere (issue 12: S009 wanted "S009" and S008 "us-cm-pub"). It must be read off the
 * screen and typed, which a reflexive "y" is not; the nodes and commands are shown beside it.
 */
export function confirmationWord(step: PlannedStep): string {
  return step.id;
}

/**
 * A step's back-out as blocks to show: the step's own (no target), then each target's that
 * differs from it (Action.backout is present only then). Empty when the plan has none.
 */
export function backoutBlocks(step: PlannedStep): { target?: string; backout: RenderedBackout }[] {
  const has = (b: RenderedBackout | undefined): b is RenderedBackout => b !== undefined && (b.text.length > 0 || b.commands.length > 0);
  const out: { target?: string; backout: RenderedBackout }[] = has(step.backout) ? [{ backout: step.backout }] : [];
  for (const a of step.actions) if (has(a.backout)) out.push({ target: a.target, backout: a.backout });
  return out;
}

/** The back-out in one line (its first text, else its first command, and how many more), for a dialog row. */
export function backoutLine(step: PlannedStep): string | undefined {
  const b = backoutBlocks(step);
  const lines = b.flatMap((x) => [...x.backout.text, ...x.backout.commands]);
  if (lines.length === 0) return undefined;
  return lines.length > 1 ? `${lines[0]} (+${lines.length - 1} more in the step view)` : lines[0];
}

/** The chapter's warnings for a step, disruption and restarts first. */
export function stepWarnings(step: PlannedStep): string[] {
  const out: string[] = [];
  if (step.disruptive) out.push('Disruptive: this step changes how the cluster or its endpoints behave; plan a maintenance window.');
  if (step.restarts.length > 0) out.push(`Restarts: ${step.restarts.join(', ')}`);
  if (step.requires.length > 0) out.push(`Ordering: only after ${step.requires.join(', ')} ${step.requires.length === 1 ? 'is' : 'are'} verified`);
  return [...out, ...step.warnings];
}

/** The exact line plus each expected device question and what is answered, as the runner would do it. */
export function exchangeLines(x: RenderedCommand, action: Action): string[] {
  const out = [x.line];
  for (const d of x.dialogue) {
    if (d.paste !== undefined) {
      const info = action.pasteFiles.find((f) => f.path === d.paste);
      const what = d.label !== undefined ? ` (${d.label})` : '';
      const fp = info?.sha256 !== undefined ? ` sha256 ${info.sha256}` : d.pasteAtRuntime === true ? ' (known at run time)' : ' (file not found yet)';
      const term = d.terminator === undefined ? '' : d.terminator === '' ? ', then an empty line' : `, then "${d.terminator}"`;
      out.push(`    ? ${d.expect}  → paste ${d.paste}${what}${fp}${term}`);
    } else if (d.answer !== undefined) {
      out.push(`    ? ${d.expect}  → ${d.secret === true ? '(secret, asked at run time)' : d.answer}`);
    } else {
      out.push(`    ? ${d.expect}`);
    }
  }
  return out;
}

/** Target label for an action ("us-cm-pub (192.0.2.10, vos)"); lines for the operator's own machine say so. */
export function targetLabel(a: Action): string {
  if (a.platform === 'local') return `the operator's machine (for ${a.target})`;
  const facts = [a.host, a.platform].filter((x): x is string => x !== undefined);
  return facts.length > 0 ? `${a.target} (${facts.join(', ')})` : a.target;
}

/** The command that checks an operator-supplied certificate for this checkpoint (issue 5). */
export function certificateCheckHint(step: PlannedStep): string | undefined {
  const role = step.checkpoint.certificate;
  return role === undefined ? undefined : `collabsec cert check --for ${role} --inventory <inventory> CERT`;
}

/** Plain-text rendering of one step, used by the plain mode (the TUI lays the same parts out in boxes). */
export function stepText(step: PlannedStep, mode: TaskMode = REHEARSAL): string[] {
  const lines = [`${step.id} ${step.title}  [${step.product}, ${step.kind}]`, `  ${step.summary}`];
  for (const w of stepWarnings(step)) lines.push(`  ! ${w}`);
  for (const a of step.actions) {
    if (a.commands.length === 0) continue;
    lines.push(`  on ${targetLabel(a)}${a.configMode === true ? ' (configuration mode)' : ''}:`);
    for (const x of a.exchanges) lines.push(...exchangeLines(x, a).map((l) => `    ${l}`));
  }
  const gui = step.gui;
  if (gui) {
    lines.push(`  GUI: ${gui.path.join(' > ')}`);
    for (const f of gui.fields) lines.push(`    ${f.field}: ${f.value}`);
    for (const n of gui.notes) lines.push(`    ${n}`);
  }
  for (const i of step.instructions) lines.push(`  - ${i}`);
  lines.push(`  To do: ${stepTodo(step, mode)}`);
  lines.push(`  Checkpoint: ${step.checkpoint.question}`);
  if (hasAutomaticCheck(step)) lines.push(`    verify with: ${automaticCheckLabel(step)}`);
  const cert = certificateCheckHint(step);
  if (cert !== undefined) lines.push(`    check the certificate with: ${cert}`);
  return lines;
}

/** One node's lines in the raw view. */
export interface RawBlock {
  target: string;
  lines: string[];
}

/**
 * The exact lines a step types on each node, nothing around them, for a clean copy: in
 * configuration mode with the platform's own wrapper (enter, the lines, exit, then save where the
 * step saves: `configure terminal` … `end`, `write memory` on IOS), as the plan and the runner do it.
 */
export function rawCommands(step: PlannedStep): RawBlock[] {
  const out: RawBlock[] = [];
  for (const a of step.actions) {
    if (a.exchanges.length === 0) continue;
    const wrap = a.configMode === true && a.platform !== undefined && a.platform !== 'local' ? platformSpec(a.platform).config : undefined;
    const lines = a.exchanges.map((x) => x.line);
    if (wrap) out.push({ target: a.target, lines: [wrap.enter, ...lines, wrap.exit, ...(a.saveConfig === true ? [wrap.save] : [])] });
    else out.push({ target: a.target, lines: a.saveConfig === true && a.platform !== undefined && a.platform !== 'local' ? [...lines, platformSpec(a.platform).config?.save ?? ''].filter((l) => l !== '') : lines });
  }
  return out;
}
