// The one sanitizer for text collabsec did not write itself (device output, journal values,
// labels) before it reaches a terminal, a transcript, a capture, `--json` or a report (issue 19).
// A terminal acts on more than ESC: C1 controls (U+009B is an 8-bit CSI, U+009D an OSC), bidi
// overrides and isolates reorder what the reader sees (Trojan Source, CVE-2021-42574), and
// zero-width characters hide text or make two different strings look the same. Pure, no layer
// rules: every layer may import it.

/** 7-bit escape sequences: CSI, OSC (to BEL or ST), DCS/SOS/PM/APC (to ST), and two-byte ESC x. */
const ESC_SEQ = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|(?=\x1b)|$)|\x1b[PX^_][^\x1b]*(?:\x1b\\|(?=\x1b)|$)|\x1b[ -/]*[0-~]/g;
/** 8-bit forms: CSI (U+009B) with its parameters; OSC (U+009D) and DCS/SOS/PM/APC up to BEL/ST. */
const C1_SEQ = /\u009b[0-?]*[ -/]*[@-~]|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u009c\x1b]*(?:\u0007|\u009c|\x1b\\|$)/g;
/**
 * Single characters that never reach output: C0 except tab and newline (CR is folded first), DEL,
 * C1, the Arabic letter mark, zero-width space/joiners and LRM/RLM (U+200B–U+200F), bidi
 * embeddings/overrides (U+202A–U+202E), word joiner and invisible operators (U+2060–U+2064), bidi
 * isolates (U+2066–U+2069), deprecated format controls (U+206A–U+206F), BOM / zero-width no-break
 * space (U+FEFF), interlinear annotations (U+FFF9–U+FFFB).
 */
const SINGLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
const LINE_SEP = /[\u2028\u2029\u0085]/g;
/** Anything at all to do (most device output is plain text: one scan, no copy). */
const ANY = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/;

export interface StripOptions {
  /** Keep line breaks (default true); false turns every line break into one space (single-line fields). */
  multiline?: boolean;
  /** Keep tabs (default true); false turns them into spaces. */
  tabs?: boolean;
}

/**
 * One line break per line as a terminal shows it: a LF with the CRs around it (CRLF, CR CR LF from
 * a PTY that adds its own CR, LF CR as in VOS's `admin:\r\n\radmin:`, cli-facts §1.1) is one LF, and
 * a run of bare CRs (a line redrawn in place) is one LF, so nothing is merged or doubled.
 */
export function foldLineBreaks(text: string): string {
  return text.replace(/\r*\n\r*|\r+/g, '\n');
}

/**
 * Removes terminal escape sequences and invisible / reordering control characters. Line breaks
 * are folded (foldLineBreaks) after the escapes are gone, so `\n\x1b[K\r` is one break; U+2028,
 * U+2029 and NEL become LF too. Printable text is untouched.
 */
export function stripControls(text: string, opts: StripOptions = {}): string {
  let t = ANY.test(text) ? foldLineBreaks(text.replace(ESC_SEQ, '').replace(C1_SEQ, '')).replace(LINE_SEP, '\n').replace(SINGLE, '') : text;
  if (opts.multiline === false) t = t.replace(/\n/g, ' ');
  if (opts.tabs === false) t = t.replace(/\t/g, ' ');
  return t;
}

/** One line for a field (a user, a host, a note in a table): no line breaks, no tabs, no controls. */
export function stripLine(text: string): string {
  return stripControls(text, { multiline: false, tabs: false });
}

/**
 * What stripLine changes other than the line feed (ANY's characters and the tab), as the body of a
 * character class: for callers that look for characters of their own in the same scan, or check
 * many lines joined by "\n" in one scan (src/plan/format/text.ts).
 */
export const LINES_TOUCHED_CLASS = `\\t${ANY.source.slice(1, -1)}`;

/** What stripLine changes: ANY's characters, and the tab and line feed it turns into spaces. */
const LINE_TOUCHED = new RegExp(`[\\n${LINES_TOUCHED_CLASS}]`);

/** True when stripLine would return the text unchanged (one scan, for callers with many lines). */
export function isCleanLine(text: string): boolean {
  return !LINE_TOUCHED.test(text);
}

/** True when stripControls would change the text (to say "control characters removed"). */
export function hasControls(text: string): boolean {
  return stripControls(text) !== foldLineBreaks(text);
}
