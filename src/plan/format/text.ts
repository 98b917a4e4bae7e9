// Terminal view of the plan. Every command sits on a line of its own with only indentation
// before it, so an engineer can copy it; everything that is not a command starts with a marker
// ("↳", "GUI:", "✓", …) so it can never be mistaken for one.
import type { Plan, PlannedStep } from '../types.js';
import { verifications } from '../verifications.js';
import { changeRows } from '../../inventory/change.js';
import { LINES_TOUCHED_CLASS, stripLine } from '../../text/controls.js';
import { axlLabel, certificateCommand, describeDialogue, fileCheckLines, productRuns, readBackLines, targetLabel, tlsLines, warningsOf } from './common.js';
import { apiCheckLines, apiLabel, requestLines } from './requests.js';

export interface TextOptions {
  color: boolean;
  productNames: Record<string, string>;
}

// Colours are written as private-use markers and turned into SGR codes only after every line has
// been stripped of control characters (issue 19): a value from the inventory or a certificate can
// never bring its own escape sequence, and a forged marker can only toggle one of these colours.
const SGR: Record<string, string> = { '\ue000': '0', '\ue001': '1', '\ue002': '2', '\ue003': '33', '\ue004': '36' };
const MARK: Record<string, string> = { '1': '\ue001', '2': '\ue002', '33': '\ue003', '36': '\ue004' };
const paint = (on: boolean, code: string) => (s: string) => (on ? `${MARK[code]}${s}\ue000` : s);

/**
 * A line finish() would change: one with a character stripLine changes (isCleanLine's, the line
 * feed among them) or a colour marker; UNFINISHED_LINES, the same but for the line feed, checks a
 * block of lines joined by "\n". One scan each, not one for controls and another for markers.
 */
const UNFINISHED_LINE = new RegExp(`[\\n${LINES_TOUCHED_CLASS}\\ue000-\\ue004]`);
const UNFINISHED_LINES = new RegExp(`[${LINES_TOUCHED_CLASS}\\ue000-\\ue004]`);

/** One terminal line: controls and line breaks stripped, then the colour markers applied (or dropped). */
function finish(line: string, color: boolean): string {
  // Most plan lines hold neither: kept as they are, without four more scans each (500-node plans).
  if (!UNFINISHED_LINE.test(line)) return line;
  return stripLine(line).replace(/[\ue000-\ue004]/g, (m) => (color ? `\u001b[${SGR[m]}m` : ''));
}

/**
 * Line blocks already written in this document, by the rendered object they show: targets whose
 * plan parts are the same object (src/plan/memo.ts) share the lines instead of writing them again.
 */
interface Blocks {
  exchanges: WeakMap<object, { pasteFiles: object; block: Block }>;
  verify: WeakMap<object, Block>;
  /** Blocks go out as one entry, the Block (`joined`), or line by line. */
  joined: boolean;
}

/**
 * Lines written once: `text` is them joined by "\n" (made only when blocks are joined). A block is
 * shown by every target that shares it (600 on a 500-node plan's largest steps): whether finish()
 * would leave it as it is is found once and kept here.
 */
interface Block {
  lines: string[];
  text: string;
  clean?: boolean;
}

/** One entry of a part: a line, or (blocks joined) a shared block of lines. */
type Entry = string | Block;

function block(lines: string[], blocks: Blocks): Block {
  return { lines, text: blocks.joined ? lines.join('\n') : '' };
}

function pushBlock(out: Entry[], b: Block, blocks: Blocks): void {
  if (b.lines.length === 0) return;
  if (!blocks.joined) {
    for (let i = 0; i < b.lines.length; i++) out.push(b.lines[i]!);
    return;
  }
  out.push(b);
}

/**
 * Appends one line per item. Indexed here and in the step parts' loops, not for…of: `plan` runs without
 * TurboFan (src/optimising-tier.ts), where each for…of allocates an iterator and a result per
 * element, and a 500-node plan goes round these loops hundreds of thousands of times.
 */
function pushLines<T>(out: Entry[], items: readonly T[], line: (item: T) => string): void {
  for (let i = 0; i < items.length; i++) out.push(line(items[i]!));
}

/** The colours of the text plan, or none (paint). */
function colours(o: TextOptions) {
  return { bold: paint(o.color, '1'), dim: paint(o.color, '2'), yellow: paint(o.color, '33'), cyan: paint(o.color, '36') };
}

type Colours = ReturnType<typeof colours>;

function pushGui(out: Entry[], g: NonNullable<PlannedStep['gui']>, head: string): void {
  out.push(`    ${head}${g.path.join(' > ')}`);
  pushLines(out, g.fields, (f) => `      • ${f.field} → ${f.value}`);
  pushLines(out, g.notes, (n) => `      • ${n}`);
}

/** Targets whose lines make one part of a step's text (stepParts). */
const TARGETS_PER_PART = 25;

/**
 * A step's text as parts: its heading lines, its targets' lines TARGETS_PER_PART at a time, their
 * checkpoints likewise, then its back-out and the blank line after it; the same lines, in the same
 * order, as one part would hold. A 600-target step's lines as one part were thousands of strings
 * that outlived the scavenges made while they were built, and were promoted (~2 MB of a 50 × 10
 * plan's old generation, each fresh page a fault): a smaller part is encoded and let go sooner.
 */
function stepParts(s: PlannedStep, o: TextOptions): Part[] {
  const c = colours(o);
  // When targets read different GUI values (e.g. each Expressway node's own SANs), show each
  // target's block instead of the first one's.
  const perTargetGui = s.actions.some((a) => a.gui);
  // Targets whose checkpoints differ each show theirs, named; otherwise the step's one is shown.
  const perTargetCheckpoint = s.actions.some((a) => a.checkpoint);
  const checkpoints = perTargetCheckpoint ? s.actions.length : 1;
  const parts: Part[] = [() => stepHead(s, c, perTargetGui)];
  for (let from = 0; from < s.actions.length; from += TARGETS_PER_PART) {
    const to = Math.min(from + TARGETS_PER_PART, s.actions.length);
    parts.push((blocks) => actionLines(s, c, blocks, from, to));
  }
  for (let from = 0; from < checkpoints; from += TARGETS_PER_PART) {
    const to = Math.min(from + TARGETS_PER_PART, checkpoints);
    parts.push((blocks) => checkpointLines(s, perTargetCheckpoint, c, blocks, from, to));
  }
  parts.push(() => stepTail(s));
  return parts;
}

function stepHead(s: PlannedStep, { bold, dim, yellow }: Colours, perTargetGui: boolean): Entry[] {
  const out: Entry[] = [];
  out.push(`${bold(`${s.id}  ${s.title}`)}  ${dim(`[${s.kind}] ${s.slug}`)}`);
  out.push(`    ${dim(s.summary)}`);
  if (s.requires.length) out.push(`    ${dim(`Requires: ${s.requires.join(', ')}`)}`);
  pushLines(out, warningsOf(s), (w) => `    ${yellow(`⚠ ${w}`)}`);
  if (s.gui && !perTargetGui) pushGui(out, s.gui, 'GUI: ');
  pushLines(out, s.instructions, (i) => `    • ${i}`);
  return out;
}

/** The lines of actions [from, to) of the step. */
function actionLines(s: PlannedStep, { dim, cyan }: Colours, blocks: Blocks, from: number, to: number): Entry[] {
  const out: Entry[] = [];
  for (let ai = from; ai < to; ai++) {
    const a = s.actions[ai]!;
    if (a.gui) pushGui(out, a.gui, `GUI on ${a.target}: `);
    if (a.axl) {
      out.push(`    ${dim(`AXL to ${axlLabel(a)}:`)}`);
      for (const r of a.axl) {
        if (r.select) {
          // Found at run time: how the listing is bounded and how the waves go.
          out.push(`        ${cyan(r.readable)}`, `          ${dim(`↳ listed read-only when the step runs (more than ${r.select.max} stop it before any write); one already as planned is not written; each wave is applied and read back before the next`)}`);
          continue;
        }
        out.push(`        ${cyan(r.readable)}`, `          ${dim(`↳ ${r.mode === 'create' ? `skipped when ${r.name} exists with these values; a difference stops the step` : `${r.name || r.object} must exist; written only where it differs`}`)}`);
        if (r.after) out.push(`          ${dim(`↳ after a write: ${r.after}${r.object} ${r.name}`)}`);
      }
    }
    if (a.requests) {
      out.push(`    ${dim(`${apiLabel(a)}:`)}`);
      for (const r of requestLines(a.requests)) out.push(`        ${cyan(r.line)}`, `          ${dim(`↳ ${r.note}`)}`);
    }
    if (a.exchanges.length === 0) {
      if (!a.gui && !a.axl && !a.requests && (s.actions.length > 1 || s.kind === 'gui' || s.kind === 'manual')) out.push(`    ${dim(`On ${a.target}`)}`);
      continue;
    }
    out.push(`    ${dim(`On ${targetLabel(a)}${a.configMode ? ', in configuration mode' : ''}:`)}`);
    let known = blocks.exchanges.get(a.exchanges);
    if (known?.pasteFiles !== a.pasteFiles) {
      const lines: string[] = [];
      for (let ei = 0; ei < a.exchanges.length; ei++) {
        const e = a.exchanges[ei]!;
        lines.push(`        ${cyan(e.line)}`);
        pushLines(lines, e.dialogue, (d) => `          ${dim(`↳ ${describeDialogue(d, a.pasteFiles)}`)}`);
      }
      blocks.exchanges.set(a.exchanges, (known = { pasteFiles: a.pasteFiles, block: block(lines, blocks) }));
    }
    pushBlock(out, known.block, blocks);
    if (a.saveConfig) out.push(`      ${dim('↳ afterwards: end, then write memory (expects [OK])')}`);
  }
  return out;
}

/**
 * The lines of checkpoints [from, to) of the step: each target's, named, when `perTarget`; else the
 * step's one (from 0 to 1).
 */
function checkpointLines(s: PlannedStep, perTarget: boolean, { dim }: Colours, blocks: Blocks, from: number, to: number): Entry[] {
  const out: Entry[] = [];
  // Made once per part, and each kind of line only where the checkpoint has it: most checkpoints
  // have none of the four, and a 500-node plan shows 9,000 of them (issue 25).
  const fileLine = (f: string) => `      ${dim(`file check: ${f}`)}`;
  const readBackLine = (r: string) => `      ${dim(`read back: ${r}`)}`;
  const apiLine = (r: string) => `      ${dim(`read: ${r}`)}`;
  const tlsLine = (t: string) => `      ${dim(`probe: ${t}`)}`;
  for (let ci = from; ci < to; ci++) {
    const a = perTarget ? s.actions[ci]! : undefined;
    const cp = a?.checkpoint ?? s.checkpoint;
    out.push(a ? `    ✓ Checkpoint on ${a.target} (${cp.origin}): ${cp.question}` : `    ✓ Checkpoint (${cp.origin}): ${cp.question}`);
    if (cp.why !== undefined) out.push(`      ${dim(`answered by the operator: ${cp.why}`)}`);
    if (cp.verify !== undefined) {
      let b = blocks.verify.get(cp.verify);
      if (b === undefined) blocks.verify.set(cp.verify, (b = block(verifications(cp).map((v) => `      ${dim(`verified by: ${v.command}`)}`), blocks)));
      pushBlock(out, b, blocks);
    }
    const cert = certificateCommand(cp);
    if (cert !== undefined) out.push(`      ${dim(`certificate check: ${cert}`)}`);
    if (cp.files !== undefined) pushLines(out, fileCheckLines(cp), fileLine);
    if (cp.readBack !== undefined) pushLines(out, readBackLines(cp), readBackLine);
    if (cp.requests !== undefined) pushLines(out, apiCheckLines(cp), apiLine);
    if (cp.tls !== undefined) pushLines(out, tlsLines(cp), tlsLine);
  }
  return out;
}

/** The step's back-out lines and the blank line that ends it. */
function stepTail(s: PlannedStep): Entry[] {
  const out: Entry[] = [];
  if (s.backout) {
    pushLines(out, s.backout.text, (t) => `    ↩ Back-out: ${t}`);
    pushLines(out, s.backout.commands, (c) => `    ↩ Back-out command: ${c}`);
  }
  out.push('');
  return out;
}

export function formatText(plan: Plan, o: TextOptions): string {
  const lines: string[] = [];
  for (const part of finishedParts(plan, o)) for (const l of part) lines.push(typeof l === 'string' ? l : l.text);
  return lines.join('\n');
}

/**
 * The document as finish() leaves each of its lines, part by part: its heading, each product's
 * heading, each step with the blank line after it. Without colour a part whose entries (shared
 * blocks joined into one) hold no control character or colour marker, and no line feed but its
 * blocks' own, is already what finish() would make of every line (500-node plans have 100,000
 * lines: one scan per entry instead of four per line, and one per shared block, not one per
 * target showing it); any other part is made again line by line, each through finish(). Part by
 * part, so a large plan's lines need not all be held at once.
 */
function* finishedParts(plan: Plan, o: TextOptions): Generator<Entry[]> {
  const fast = o.color ? undefined : newBlocks(true); // colour always has markers
  const lineByLine = newBlocks(false);
  for (const part of documentParts(plan, o)) {
    if (fast) {
      const entries = part(fast);
      if (cleanEntries(entries)) {
        yield entries;
        continue;
      }
    }
    // Blocks not joined are pushed line by line (pushBlock): every entry here is a string.
    yield part(lineByLine).map((l) => finish(l as string, o.color));
  }
}

/** True when no entry needs finish(): no control character or marker, no line feed but a block's own between its lines. */
function cleanEntries(entries: Entry[]): boolean {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (typeof e === 'string') {
      if (UNFINISHED_LINE.test(e)) return false;
    } else if (!(e.clean ??= !UNFINISHED_LINES.test(e.text) && newlines(e.text) === e.lines.length - 1)) return false;
  }
  return true;
}

/** Bytes per buffer of textChunks(): small enough to be reused once written, large enough for few writes. */
const CHUNK_BYTES = 1 << 16;

/**
 * Encodes `s` into `buf` at `at`, which has room for it: Buffer's own utf8Write where Node has it
 * (every release since 0.x), which buf.write calls after checking its arguments with helpers that
 * allocate per call: once per line, 100,000 times in a 500-node plan. buf.write otherwise.
 */
type Utf8Write = (this: Buffer, s: string, at: number) => number;
const utf8Write: Utf8Write =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write ??
  function (this: Buffer, s: string, at: number) {
    return this.write(s, at);
  };

/**
 * The same bytes as formatText() with a final line feed, as UTF-8 buffers to write in order, made
 * as they are taken. A 500-node plan is 5.7 MB of text: its lines are encoded straight into
 * buffers, part by part, instead of being joined into one string and encoded again, and neither
 * its lines nor its bytes are all held at once (issue 25). Each buffer is new (a stream may keep it).
 */
export function* textChunks(plan: Plan, o: TextOptions): Generator<Uint8Array> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = 0;
  const full: Uint8Array[] = [];
  const put = (e: Entry, newline: boolean) => {
    // A block's text is encoded for every target that shows it: caching its bytes (a Buffer per
    // block) cost more instructions and pages than it saved.
    const s = typeof e === 'string' ? e : e.text;
    // A UTF-16 code unit is at most 3 bytes of UTF-8; a longer entry than a chunk gets its own.
    if (at + 3 * s.length + 1 > buf.length) {
      if (at > 0) full.push(buf.subarray(0, at));
      buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 3 * s.length + 1));
      at = 0;
    }
    at += utf8Write.call(buf, s, at);
    if (newline) buf[at++] = 0x0a;
  };
  // Every line is followed by "\n" but the last, held back: the text gets one "\n" at its end
  // unless it already ends with one (its last line is empty after others, or ends with "\n").
  let last: Entry | undefined;
  let count = 0;
  for (const part of finishedParts(plan, o)) {
    for (let i = 0; i < part.length; i++) {
      if (last !== undefined) put(last, true);
      last = part[i]!;
      count++;
    }
    yield* full.splice(0);
  }
  const end = last ?? '';
  const text = typeof end === 'string' ? end : end.text;
  put(end, !(text.endsWith('\n') || (text === '' && count > 1)));
  yield* full.splice(0);
  if (at > 0) yield buf.subarray(0, at);
}

function newBlocks(joined: boolean): Blocks {
  return { exchanges: new WeakMap(), verify: new WeakMap(), joined };
}

/** One part of the document: its lines, shared blocks joined as `blocks` says. */
type Part = (blocks: Blocks) => Entry[];

/** The document's parts in order: the heading, then each product's heading and steps. */
function* documentParts(plan: Plan, o: TextOptions): Generator<Part> {
  const bold = paint(o.color, '1');
  yield () => {
    const out: string[] = [`${bold(plan.title)} — ${plan.steps.length} ${plan.steps.length === 1 ? 'step' : 'steps'}`];
    // The releases every line was rendered for (issue 23): the summary rows "<product> release".
    const releases = plan.summary.filter((r) => r.label.endsWith(' release')).map((r) => `${r.label.slice(0, -' release'.length)} ${r.value}`);
    // The change record first: the document is read against a change request.
    for (const r of changeRows(plan.change)) out.push(`${r.label}: ${r.value}`);
    if (releases.length > 0) out.push(`Releases: ${releases.join(' · ')}`);
    out.push('');
    return out;
  };
  for (const run of productRuns(plan)) {
    yield () => [bold(`== ${o.productNames[run.product] ?? run.product} ==`), ''];
    for (const s of run.steps) yield* stepParts(s, o);
  }
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
