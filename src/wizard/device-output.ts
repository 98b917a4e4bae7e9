// What the TUI's device-output pane shows (issue 20 slice 4), free of any UI: the running step's
// device output as it arrives, and, once it ended, the part of each node's transcript that step
// wrote. Both are one line per device line (the transport folds line breaks), already redacted
// (the transport redacts before anything leaves it), bounded, and cleaned of terminal controls.
import { open } from 'node:fs/promises';
import { stripControls } from '../text/controls.js';

/** Lines the live view keeps; older ones are counted in one summary line. */
export const OUTPUT_LINES = 2000;
/** Bytes of a transcript read from its end for the pane (a step's part is looked for in them). */
export const TRANSCRIPT_READ_BYTES = 256 * 1024;

/** The mark the live port writes into a node's transcript when a step begins on it. */
export function stepMark(stepId: string): string {
  return `step ${stepId} begins`;
}
/** A transcript line of collabsec's own (Shell.note): `[collabsec <time>] text`. */
const NOTE = /^\[collabsec [^\]]*\] (.*)$/;
const MARK = /^step (\S+) begins$/;

/** One line as the pane shows it: no controls, tabs as spaces. */
const clean = (line: string): string => stripControls(line, { multiline: false, tabs: false });

/** Device output of a step as it arrives, per node, one line per line; a node's name heads its lines. */
export class OutputBuffer {
  readonly #lines: string[] = [];
  #dropped = 0;
  /** The node whose partial line is open, and that partial line. */
  #node: string | undefined;
  #partial = '';
  /** Transcript files (relative to the session folder) the send wrote, once it ended. */
  files: readonly string[] = [];

  constructor(readonly stepId: string) {}

  push(node: string, text: string): void {
    if (text === '') return;
    if (node !== this.#node) {
      // A node's partial line (a prompt) is closed before another node's output.
      if (this.#partial !== '') this.#add(this.#partial);
      this.#partial = '';
      this.#add(`── ${node} ──`);
      this.#node = node;
    }
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop()!;
    for (const p of parts) this.#add(p);
  }

  #add(line: string): void {
    this.#lines.push(clean(line));
    if (this.#lines.length > OUTPUT_LINES * 2) {
      const drop = this.#lines.length - OUTPUT_LINES;
      this.#lines.splice(0, drop);
      this.#dropped += drop;
    }
  }

  get empty(): boolean {
    return this.#lines.length === 0 && this.#partial === '';
  }

  /** Every kept line, the open partial line last (a prompt waiting for its answer). */
  lines(): string[] {
    const kept = this.#lines.length > OUTPUT_LINES ? this.#lines.slice(-OUTPUT_LINES) : [...this.#lines];
    const dropped = this.#dropped + (this.#lines.length - kept.length);
    return [...(dropped > 0 ? [`[… ${dropped} earlier lines not kept here; the transcript has them …]`] : []), ...kept, ...(this.#partial !== '' ? [clean(this.#partial)] : [])];
  }
}

export interface TranscriptPart {
  lines: string[];
  /** Why the lines are not (all of) the step's: cut, not found, unreadable. */
  note?: string;
}

/**
 * The part of a node's transcript `stepId` wrote last: from its last step mark to the next mark
 * (or the end), read from the file's last TRANSCRIPT_READ_BYTES. A transcript without marks
 * (written before collabsec marked steps) is shown as its tail.
 */
export async function readStepTranscript(file: string, stepId: string, maxBytes = TRANSCRIPT_READ_BYTES): Promise<TranscriptPart> {
  let text: string;
  let cut: boolean;
  try {
    const fh = await open(file, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) return { lines: [], note: `${file} is not a regular file` };
      const start = Math.max(0, st.size - maxBytes);
      const buf = Buffer.alloc(Math.min(maxBytes, st.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      text = buf.subarray(0, bytesRead).toString('utf8');
      cut = start > 0;
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { lines: [], note: `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const all = text.split('\n');
  // Read from the middle of the file: its first line is partial.
  if (cut) all.shift();
  const marks = all.map((l) => MARK.exec(NOTE.exec(l)?.[1] ?? '')?.[1]);
  const from = marks.lastIndexOf(stepId);
  if (from < 0) {
    if (cut) return { lines: [], note: `${stepId}'s part is not in the last ${Math.round(maxBytes / 1024)} KB of ${file}: open the file.` };
    if (marks.some((m) => m !== undefined)) return { lines: [], note: `${file} has no part written by ${stepId}.` };
    return { lines: trimEnd(all.map(clean)), note: `${file} has no step marks: all of it is shown.` };
  }
  const next = marks.findIndex((m, i) => i > from && m !== undefined);
  return { lines: trimEnd(all.slice(from + 1, next < 0 ? undefined : next).map(clean)) };
}

/** Without the empty lines a note's line breaks leave at the end. */
function trimEnd(lines: string[]): string[] {
  let n = lines.length;
  while (n > 0 && lines[n - 1] === '') n--;
  return lines.slice(0, n);
}
