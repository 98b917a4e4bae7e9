// Method of Procedure document for a change request: title, inventory summary, table of
// contents, then per step its targets, exact commands in code blocks, expected device dialogue,
// GUI path and field → value tables, warnings, checkpoint and back-out.
import type { Plan, PlannedStep, RenderedCheckpoint, RenderedGui } from '../types.js';
import { verifications } from '../verifications.js';
import { changeRows } from '../../inventory/change.js';
import { stripControls, stripLine } from '../../text/controls.js';
import { axlLabel, certificateCommand, describeDialogue, fileCheckLines, productRuns, readBackLines, shortHash, targetLabel, tlsLines, warningsOf } from './common.js';
import { apiCheckLines, apiLabel, requestLines } from './requests.js';

/**
 * Escape text for a markdown table cell or paragraph: control characters stripped (one line),
 * backslashes, pipes and HTML escaped, and outside the catalogue's own `code spans` the inline
 * syntax an inventory value could use to make a link, an image or a heading
 * (a CA name `![i](http://evil.example/t.png) # hdr` renders as text, issue 19).
 */
export function mdEscape(s: string): string {
  const basic = (t: string): string => t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Odd parts are the catalogue's code spans (inventory labels may not hold a backtick). Outside
  // them: an entity (&#x202e;) cannot be spelled and "](" makes no link or image; at the start
  // (a paragraph), # makes no heading and [ no link definition. Other brackets, * and _ stay as
  // they are ("[yes/no]", "9.*", "_collab-edge"): at most emphasis, never content from elsewhere.
  const inline = (t: string): string =>
    basic(t.replace(/&(?=#?\w+;)/g, '&amp;'))
      .replace(/\]\(/g, ']\\(');
  return stripLine(s)
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? basic(part) : inline(part)))
    .join('')
    .replace(/^(\s*)([#[])/, '$1\\$2');
}

/** A code span around `s` that nothing inside can close (a longer backtick run), on one line. */
function code(s: string): string {
  const t = stripLine(s);
  const tick = '`'.repeat(Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return /^`|`$/.test(t) ? `${tick} ${t} ${tick}` : `${tick}${t}${tick}`;
}

function fence(raw: string[]): string[] {
  const lines = raw.map((l) => stripControls(l));
  // A fence longer than any backtick run inside keeps the block closed correctly.
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const f = '`'.repeat(longest + 1);
  return [`${f}text`, ...lines, f];
}

function guiTable(g: RenderedGui): string[] {
  const out = [`**GUI path:** ${g.path.map((p) => mdEscape(p)).join(' &gt; ')}`, ''];
  if (g.fields.length) {
    out.push('| Field | Value |', '|---|---|', ...g.fields.map((f) => `| ${mdEscape(f.field)} | ${mdEscape(f.value)} |`), '');
  }
  for (const n of g.notes) out.push(`- ${mdEscape(n)}`);
  if (g.notes.length) out.push('');
  return out;
}

/** One checkpoint: its question, who answers it, and every read that verifies it; `on` names the target when targets differ. */
function checkpointMd(cp: RenderedCheckpoint, on: string | undefined): string[] {
  const out = [`**Checkpoint${on !== undefined ? ` on ${mdEscape(on)}` : ''} (${cp.origin}):** ${mdEscape(cp.question)}`, ''];
  if (cp.why !== undefined) out.push(`Answered by the operator: ${mdEscape(cp.why)}`, '');
  const reads = verifications(cp);
  if (reads.length === 1) out.push(`Verified automatically with ${code(reads[0]!.command)}.`, '');
  else if (reads.length > 1) out.push('Verified automatically with each of these reads (every one must pass):', '', ...reads.map((v) => `- ${code(v.command)}`), '');
  const readBack = readBackLines(cp);
  if (readBack.length) out.push('Verified automatically by reading back through AXL:', '', ...readBack.map((r) => `- ${code(r)}`), '');
  const apiChecks = apiCheckLines(cp);
  if (apiChecks.length) out.push('Verified automatically by a read-only request:', '', ...apiChecks.map((r) => `- ${code(r)}`), '');
  const tls = tlsLines(cp);
  if (tls.length) out.push('Verified automatically by a TLS probe of the port that serves the certificate (read-only: the handshake only):', '', ...tls.map((l) => `- ${mdEscape(l)}`), '');
  const cert = certificateCommand(cp);
  if (cert !== undefined) out.push(`Certificate check: ${code(cert)}.`, '');
  const files = fileCheckLines(cp);
  if (files.length) out.push('Verified automatically by checking the files in the session work folder:', '', ...files.map((l) => `- ${mdEscape(l)}`), '');
  return out;
}

function stepMd(s: PlannedStep, productName: string): string[] {
  const out: string[] = [`<a id="${s.id.toLowerCase()}"></a>`, `### ${s.id} — ${mdEscape(s.title)}`, ''];
  out.push(
    `| Product | Kind | Targets | Source | Requires |`,
    `|---|---|---|---|---|`,
    `| ${mdEscape(productName)} | ${s.kind} | ${s.actions.map((a) => mdEscape(a.target)).join(', ')} | ${mdEscape(s.source ?? '')} | ${s.requires.join(', ') || '—'} |`,
    '',
    mdEscape(s.summary),
    '',
  );
  const warnings = warningsOf(s);
  // Each warning its own blockquote: consecutive `>` lines would run together into one paragraph.
  for (const w of warnings) out.push(`> **Warning:** ${mdEscape(w)}`, '');
  if (s.gui) out.push(...guiTable(s.gui));
  if (s.instructions.length) out.push(...s.instructions.map((i) => `1. ${mdEscape(i)}`), '');
  for (const a of s.actions) {
    if (a.gui && a !== s.actions[0]) out.push(`**On ${mdEscape(a.target)}:**`, '', ...guiTable(a.gui));
    if (a.axl) {
      out.push(`#### AXL requests to ${mdEscape(axlLabel(a))}`, '', 'Or, instead of the GUI: collabsec sends these one at a time; an object that already exists is compared, never overwritten.', '');
      out.push(...fence(a.axl.map((r) => r.readable)), '');
      const after = a.axl.filter((r) => r.after !== undefined && r.select === undefined);
      if (after.length) out.push(...after.map((r) => `- After a write: ${code(`${r.after}${r.object} ${r.name}`)}`), '');
    }
    if (a.requests) {
      out.push(`#### Requests to ${mdEscape(apiLabel(a))}`, '', 'Or, instead of the GUI: collabsec sends these one at a time (the raw bodies are in `plan --format json`).', '');
      out.push(...requestLines(a.requests).flatMap((r) => [`- ${code(r.line)}`, `  - ${mdEscape(r.note)}`]), '');
    }
    if (a.exchanges.length === 0) continue;
    out.push(`#### Commands on ${mdEscape(targetLabel(a))}${a.configMode ? ' (configuration mode)' : ''}`, '');
    out.push(...fence(a.commands), '');
    if (a.saveConfig) out.push('Afterwards leave configuration mode with `end` and save with `write memory` (expects `[OK]`).', '');
    const dialogue = a.exchanges.flatMap((e) => e.dialogue.map((d) => ({ line: e.line, d })));
    if (dialogue.length) {
      out.push('| After | Expected dialogue |', '|---|---|');
      out.push(...dialogue.map(({ line, d }) => `| \`${stripLine(line).replace(/`/g, "'").replace(/\|/g, '\\|')}\` | ${mdEscape(describeDialogue(d, a.pasteFiles))} |`), '');
    }
  }
  // Targets whose checkpoints differ (each node's own reads, P012/P013 DNS): each target's, as the text plan prints them.
  const checkpoints = s.actions.some((a) => a.checkpoint) ? s.actions.map((a) => ({ cp: a.checkpoint ?? s.checkpoint, on: a.target })) : [{ cp: s.checkpoint, on: undefined }];
  for (const { cp, on } of checkpoints) out.push(...checkpointMd(cp, on));
  if (s.backout && (s.backout.text.length || s.backout.commands.length)) {
    out.push('**Back-out:**', '', ...s.backout.text.map((t) => `- ${mdEscape(t)}`));
    if (s.backout.commands.length) out.push('', ...fence(s.backout.commands));
    out.push('');
  }
  return out;
}

/** The change record as the MOP's first table (nothing when none is given). */
function changeSection(plan: Plan): string[] {
  const rows = changeRows(plan.change);
  if (rows.length === 0) return [];
  return ['## Change', '', '| Field | Value |', '|---|---|', ...rows.map((r) => `| ${mdEscape(r.label)} | ${mdEscape(r.value)} |`), ''];
}

export function formatMarkdown(plan: Plan, productNames: Record<string, string>, inventoryName: string): string {
  const out: string[] = [
    `# Method of Procedure — ${mdEscape(plan.title)}`,
    '',
    `Security rollout per the Cisco Preferred Architecture for Enterprise Collaboration 12.5, Security chapter. ` +
      `Generated by collabsec from ${code(inventoryName)} (inventory ${shortHash(plan.inventoryHash)}, catalogue ${shortHash(plan.catalogueHash)}).`,
    '',
    ...changeSection(plan),
    '## Inventory summary',
    '',
    '| Item | Value |',
    '|---|---|',
    ...plan.summary.map((r) => `| ${mdEscape(r.label)} | ${mdEscape(r.value)} |`),
    '',
    '## Contents',
    '',
  ];
  const runs = productRuns(plan);
  for (const run of runs) {
    out.push(`- ${mdEscape(productNames[run.product] ?? run.product)}`);
    for (const s of run.steps) out.push(`  - [${s.id} — ${mdEscape(s.title)}](#${s.id.toLowerCase()})`);
  }
  out.push('', '## Procedure', '', 'Do all certificate management first; enable encryption only after every certificate is in place (L762).', '');
  for (const run of runs) {
    const name = productNames[run.product] ?? run.product;
    out.push(`## ${mdEscape(name)}`, '');
    for (const s of run.steps) out.push(...stepMd(s, name));
  }
  return out.join('\n');
}
