// A step's rendered lines as people read them (per target its exact commands, the GUI path and
// field values, the instructions), format-neutral: the evidence pack prints them, the session
// keeps them for the plan it follows, and a changed plan is shown as a line diff of them (issue
// 25: *what* changed in each step, not only that it changed). No secret is among them: dialogue
// answers are not lines.
import { axlLabel, certificateCommand, describeDialogue, fileCheckLines, readBackLines, tlsLines } from '../plan/format/common.js';
import { apiCheckLines, apiLabel, requestLines } from '../plan/format/requests.js';
import type { PlannedStep, RenderedCheckpoint } from '../plan/types.js';
import { verifications } from '../plan/verifications.js';

export function stepLines(step: PlannedStep): string[] {
  const lines: string[] = [];
  for (const a of step.actions) {
    lines.push(`# ${a.target}${a.host ? ` (${a.host})` : ''}${a.configMode ? ' — configuration mode' : ''}`);
    lines.push(...a.commands);
  }
  if (step.gui) {
    lines.push(`# GUI: ${step.gui.path.join(' > ')}`);
    for (const f of step.gui.fields) lines.push(`#   ${f.field} = ${f.value}`);
    for (const n of step.gui.notes) lines.push(`#   ${n}`);
  }
  for (const i of step.instructions) lines.push(`# ${i}`);
  return lines;
}

function checkpointLines(cp: RenderedCheckpoint, on: string): string[] {
  return [
    `# checkpoint${on}: ${cp.question}`,
    ...verifications(cp).map((v) => `#   verified by: ${v.command}`),
    ...[certificateCommand(cp)].filter((c) => c !== undefined).map((c) => `#   certificate check: ${c}`),
    ...fileCheckLines(cp).map((f) => `#   file check: ${f}`),
    ...readBackLines(cp).map((r) => `#   read back: ${r}`),
    ...apiCheckLines(cp).map((r) => `#   read: ${r}`),
    ...tlsLines(cp).map((t) => `#   probe: ${t}`),
  ];
}

/**
 * Everything a step does that a plan change can alter, one line each: its lines (stepLines), the
 * device dialogue, AXL and other API requests with where they go, and its checkpoint(s). The
 * session keeps these for the plan it follows; a changed plan is reviewed as their diff.
 */
export function reviewLines(step: PlannedStep): string[] {
  const lines = stepLines(step);
  for (const a of step.actions) {
    // The device dialogue of the commands listed above (not repeating them: a changed command shows once).
    for (const x of a.exchanges) for (const d of x.dialogue) lines.push(`#   ↳ ${describeDialogue(d, a.pasteFiles)}`);
    // Where reads and writes go, even for a step that only reads back there.
    if (a.axl || a.axlEndpoint) lines.push(`# AXL to ${axlLabel(a)}`, ...(a.axl ?? []).map((r) => `  ${r.readable}`));
    if (a.requests || a.apiEndpoint) lines.push(`# ${apiLabel(a)}`, ...requestLines(a.requests ?? []).map((r) => `  ${r.line}`));
    if (a.gui && a !== step.actions[0]) lines.push(`# GUI on ${a.target}: ${a.gui.path.join(' > ')}`, ...a.gui.fields.map((f) => `#   ${f.field} = ${f.value}`));
  }
  const perTarget = step.actions.some((a) => a.checkpoint);
  if (perTarget) for (const a of step.actions) lines.push(...checkpointLines(a.checkpoint ?? step.checkpoint, ` on ${a.target}`));
  else lines.push(...checkpointLines(step.checkpoint, ''));
  return lines;
}

export interface DiffLine {
  /** `-` only in the old lines, `+` only in the new ones. */
  op: '-' | '+';
  line: string;
}

/** Lines compared by longest common subsequence beyond this many are shown as all removed and all added. */
const MAX_DIFF_LINES = 2000;

/**
 * The lines removed and added between `old` and `now`, in order (a removed line before the line
 * added in its place); unchanged lines are left out, so a screen shows only what changed.
 */
export function lineDiff(old: readonly string[], now: readonly string[]): DiffLine[] {
  if (old.length > MAX_DIFF_LINES || now.length > MAX_DIFF_LINES) return [...old.map((line) => ({ op: '-' as const, line })), ...now.map((line) => ({ op: '+' as const, line }))];
  // lcs[i][j]: length of the longest common subsequence of old[i..] and now[j..].
  const lcs = Array.from({ length: old.length + 1 }, () => new Uint16Array(now.length + 1));
  for (let i = old.length - 1; i >= 0; i--)
    for (let j = now.length - 1; j >= 0; j--) lcs[i]![j] = old[i] === now[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < old.length || j < now.length) {
    if (i < old.length && j < now.length && old[i] === now[j]) {
      i++;
      j++;
    } else if (j >= now.length || (i < old.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ op: '-', line: old[i++]! });
    else out.push({ op: '+', line: now[j++]! });
  }
  return out;
}
