// Output normalisation before any matching (cli-facts §1.1 "Line endings/escapes": VOS sends CRLF
// and bare CR, e.g. `admin:\r\n\radmin:`, plus ANSI sequences such as `\x1b[K` before the prompt
// and bold around paging prompts). Line breaks are folded one per line (foldLineBreaks), so a
// transcript keeps one line per device line. Streaming: a chunk may end inside an escape sequence
// or between CR and LF, so that tail is held until the next chunk decides it. Everything else a
// terminal would act on (C1 controls, bidi overrides, zero-width characters) is removed here by
// the shared sanitizer (src/text/controls.ts), so no device text reaches matching, transcripts,
// results, the UI or the journal with it (issue 19).
import { stripControls } from '../../text/controls.js';

// An incomplete escape at the very end of a chunk: 7-bit CSI / OSC / DCS / ESC x, 8-bit CSI, OSC, DCS.
const PARTIAL_ESC = /(?:\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*|[ -/]*)?|\u009b[0-?]*[ -/]*|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u009c\x1b]*)$/;
/**
 * The longest escape held back for the next chunk. A longer "sequence" (an OSC that never ends)
 * is not held: it is dropped like any escape, and holding it would make every later chunk re-scan
 * it (quadratic time on output without its terminator).
 */
export const MAX_HELD_ESCAPE = 4096;

/** Pure, for complete text: strip escape sequences and invisible controls, CRLF/CR → LF. */
export function normalise(text: string): string {
  return stripControls(text);
}

export class StreamNormaliser {
  private held = '';
  /** What was released so far ends in a line break: CRs that open the next chunk belong to it (`\n` | `\radmin:`). */
  private afterBreak = false;

  push(chunk: string): string {
    const text = this.held + chunk;
    this.held = '';
    // Only the end of the chunk can hold an unfinished sequence: look at a bounded tail.
    const from = Math.max(0, text.length - MAX_HELD_ESCAPE);
    const esc = PARTIAL_ESC.exec(from === 0 ? text : text.slice(from));
    const escAt = esc && esc[0].length > 0 && esc[0].length < MAX_HELD_ESCAPE ? from + esc.index : text.length;
    // A CR run at the end (or before a held escape) may still become part of a CRLF, CR CR LF or
    // CR ESC[K LF: decided with the next chunk, so no line is doubled at a chunk boundary. Any run
    // of CRs folds like one, so one is held (device output of CRs alone cannot grow the hold).
    let cut = escAt;
    while (cut > 0 && text.charCodeAt(cut - 1) === 13) cut--;
    this.held = (cut < escAt ? '\r' : '') + text.slice(escAt);
    return this.release(text.slice(0, cut));
  }

  end(): string {
    const rest = this.release(this.held);
    this.held = '';
    return rest;
  }

  /** `text` normalised as if it still followed what was released (one fold across the chunk boundary). */
  private release(text: string): string {
    const out = this.afterBreak ? normalise(`\n${text}`).slice(1) : normalise(text);
    if (out !== '') this.afterBreak = out.endsWith('\n');
    return out;
  }
}
