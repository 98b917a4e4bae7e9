// Pure decisions over normalised device output (scrapli's base_driver/sync_driver split): the
// IO loop feeds the unconsumed text and how long the device has been quiet, and acts on the
// answer. Nothing here does IO, so every case is a table test.
import type { DialogueEntry } from '../../plan/types.js';
import type { PlatformSpec } from './types.js';

export type Decision =
  | { kind: 'dialogue'; entry: number; consumeTo: number }
  | { kind: 'prompt'; mode: string; consumeTo: number }
  | { kind: 'paging'; keys: ' ' | 'q' | 'n'; consumeTo: number }
  | { kind: 'question'; text: string }
  | { kind: 'wait' };

/** Last line of the text (after the last newline): prompts and questions live there. */
export function lastLine(text: string): string {
  return text.slice(text.lastIndexOf('\n') + 1);
}

export function promptMode(spec: PlatformSpec, line: string): string | null {
  for (const p of spec.prompts) if (p.pattern.test(line)) return p.mode;
  return null;
}

/**
 * @param text unconsumed normalised output of the current command
 * @param pending dialogue entries not answered yet (undefined = already used)
 * @param quietMs time since the device last sent anything
 */
export function decide(
  spec: PlatformSpec,
  text: string,
  pending: readonly (DialogueEntry | undefined)[],
  quietMs: number,
): Decision {
  // 1. A declared question, anywhere in the unconsumed output; the earliest one wins.
  let best: { entry: number; at: number; end: number } | null = null;
  pending.forEach((d, i) => {
    if (!d) return;
    // Trimmed: the catalogue may keep a prompt's trailing space ("[yes/no]: ") that a device
    // build or the normaliser does not reproduce exactly.
    const want = d.expect.trim();
    const at = want === '' ? -1 : text.indexOf(want);
    if (at >= 0 && (best === null || at < best.at)) best = { entry: i, at, end: at + want.length };
  });
  if (best !== null) {
    const b: { entry: number; end: number } = best;
    return { kind: 'dialogue', entry: b.entry, consumeTo: b.end };
  }
  // 2a. A promptless shell's response terminator (xAPI `OK` / `ERROR`): the command is finished.
  if (spec.responseEnd?.test(text) === true) return { kind: 'prompt', mode: spec.prompts[0]!.mode, consumeTo: text.length };
  const line = lastLine(text);
  // 2. The prompt is back: the command is finished.
  const mode = promptMode(spec, line);
  if (mode !== null) return { kind: 'prompt', mode, consumeTo: text.length };
  // 3. Paging prompts are answered by the driver, never by the step.
  for (const p of spec.paging) if (p.pattern.test(text)) return { kind: 'paging', keys: p.keys, consumeTo: text.length };
  // 4. Something that looks like a question and stays unanswered: hand it to the operator. The
  //    settle time keeps a question that is still arriving ("continue?" … " (y/n):") from being
  //    judged on half its text.
  if (line.trim() !== '') {
    const strong = quietMs >= spec.questionSettleMs && spec.questions.some((q) => q.test(line));
    const weak = quietMs >= spec.weakQuestionSettleMs && spec.weakQuestions.some((q) => q.test(line));
    if (strong || weak) return { kind: 'question', text: line.trim() };
  }
  return { kind: 'wait' };
}

/**
 * A command's own guard (RenderedCommand.refuseIf): the output line that matches its pattern, or
 * undefined when the output does not (the guard passes).
 */
export function refusedBy(refuseIf: { pattern: string } | undefined, output: string): string | undefined {
  if (refuseIf === undefined) return undefined;
  const hit = new RegExp(refuseIf.pattern, 'm').exec(output);
  if (!hit) return undefined;
  const from = output.lastIndexOf('\n', hit.index) + 1;
  const to = output.indexOf('\n', hit.index);
  return output.slice(from, to < 0 ? undefined : to).trim();
}

/** The output line holding the first failure marker found (first pattern wins), for the error report. */
export function failureMarker(spec: PlatformSpec, output: string): string | undefined {
  for (const m of spec.failureMarkers) {
    const hit = m.exec(output);
    if (hit) {
      const from = output.lastIndexOf('\n', hit.index) + 1;
      const to = output.indexOf('\n', hit.index);
      return output.slice(from, to < 0 ? undefined : to).trim();
    }
  }
  return undefined;
}

/**
 * The one gate for everything typed into a device (reliability.md case 11): exactly one line,
 * no C0/C1 controls (CR, LF, NUL, Ctrl-C, Ctrl-Z, ESC, DEL), no Unicode line/paragraph
 * separators, bounded length, and none of the platform's own forbidden characters (IOS `?`).
 * Returns the reason for refusal, or null when the line is clean.
 */
export function lineProblem(spec: PlatformSpec, line: string): string | null {
  const ctl = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/.exec(line);
  if (ctl) return `control character U+${ctl[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()} at ${ctl.index}`;
  if (line.length > 1024) return `line longer than 1024 characters (${line.length})`;
  for (const f of spec.forbiddenChars ?? []) if (line.includes(f.char)) return `"${f.char}" ${f.why}`;
  return null;
}
