// The evidence pack for the change board: per step, what the plan said to do (exact commands),
// what happened (status history: who, when, where), why (skip and override reasons), what the
// checkpoint found, the operator's notes and where the transcripts are. Markdown or HTML, from
// one intermediate model so the two can never disagree. Every value from the inventory, the
// catalogue or the operator is escaped for the target format, and stripped of control
// characters first (escape sequences, C1, bidi overrides, zero-width characters: issue 19), so a
// journal edited by hand or a hostile label cannot retitle a terminal, fake a heading or pull a
// remote image into the change-board document.
import { stripControls, stripLine } from '../text/controls.js';
import type { Plan, PlannedStep, RenderedGui } from '../plan/types.js';
import { type Baseline, type BaselineRead, baselines, unchanged } from './baselines.js';
import { describeBreak, integrityLine, isTampered, verifyJournal, type JournalIntegrity } from './chain.js';
import { type EvidenceSummary, SUMMARY_COUNTS, summarize } from './evidence-summary.js';
import { stepCommandsHash } from './hash.js';
import { stepLines } from './step-lines.js';
import { lastActivity, progress } from './resume.js';
import { currentStatus, type SessionState, type StepRecord } from './state.js';

export type ReportFormat = 'markdown' | 'html';

interface StepView {
  step: PlannedStep;
  record: StepRecord | undefined;
  /** The step was verified/overridden with commands that differ from the plan's. */
  commandsChanged: boolean;
}

/** A step with intent and no outcome is in doubt: the pack must not read as if it were still running. */
function statusLabel(record: StepRecord | undefined): string {
  const status = currentStatus(record);
  return status === 'started' ? 'started, no outcome recorded (in doubt)' : status;
}

/**
 * A step nobody touched (pending, no event, no note, nothing flagged): listed in one line at the
 * end instead of a section with its commands, so the change board reads what was done.
 */
function untouched(v: StepView): boolean {
  return currentStatus(v.record) === 'pending' && (v.record?.history.length ?? 0) === 0 && (v.record?.notes.length ?? 0) === 0 && !v.commandsChanged;
}

const notStartedTitle = (n: number): string => `Not started (${n} ${n === 1 ? 'step' : 'steps'}; commands in the plan)`;

function views(plan: Plan, state: SessionState): StepView[] {
  return plan.steps.map((step) => {
    const record = state.steps[step.id];
    const now = stepCommandsHash(step);
    const ran = [...(record?.history ?? [])].reverse().find((e) => e.commandsHash !== undefined)?.commandsHash;
    return { step, record, commandsChanged: ran !== undefined && ran !== now };
  });
}

/** Text of one history entry, format-neutral. */
function eventText(e: NonNullable<StepRecord>['history'][number]): string {
  const parts = [`${e.at} ${e.status}`, `by ${e.user}${e.host ? `@${e.host}` : ''}`];
  if (e.target) parts.push(`on ${e.target}`);
  if (e.outcome && e.outcome !== (e.status === 'verified' ? 'passed' : '')) parts.push(`checkpoint ${e.outcome}`);
  if (e.checkpoint) parts.push(`(${e.checkpoint.method}${e.checkpoint.summary ? `: ${e.checkpoint.summary}` : ''})`);
  if (e.reason) parts.push(`— reason: ${e.reason}`);
  return parts.join(' ');
}

/** The pack's word on a broken chain: its statuses are as found in the file, not as collabsec wrote them. */
const TAMPERED_NOTE = 'this journal was edited outside collabsec; the statuses below are as found in the file and must not be relied on without checking.';

/** Per step, the chain's breaks in its history (described). */
/** The banner's text: the note, then what was found (its own "TAMPERED:" is the banner's label). */
function tamperedBanner(integrity: JournalIntegrity): string {
  return `${TAMPERED_NOTE} ${integrityLine(integrity).replace(/^TAMPERED: /, '')}`;
}

function stepBreaks(integrity: JournalIntegrity, stepId: string): string[] {
  return integrity.kind === 'tampered' ? integrity.breaks.filter((b) => b.step === stepId).map(describeBreak) : [];
}

// ---------- Markdown ----------

/**
 * Escapes Markdown inline syntax and HTML (most renderers pass raw HTML through). Escaped text
 * never starts a line here (always after "- " or a label), so line-start syntax ("1.", "-", "+")
 * needs no escape and timestamps stay readable.
 */
export function mdEscape(value: unknown): string {
  return stripLine(String(value))
    .replace(/[\\`*_[\]#!|>~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

/** A fence longer than any backtick run inside, so commands cannot close it early. */
function fence(raw: string[]): string {
  const lines = raw.map((l) => stripLine(l));
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${lines.join('\n')}\n${f}`;
}

const capitalized = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
const reasonText = (r: EvidenceSummary['overridden'][number]): string => `${r.id} ${r.title} — reason: ${r.reason} (${r.user}, ${r.at})`;
const NO_CHANGE = 'none given (a change: block in the inventory, or --change-number, --approver, --window-start/--window-end, --impact, --rollback-owner on report)';

/** The one-page summary that opens the pack (evidence-summary.ts). */
function markdownSummary(sum: EvidenceSummary): string[] {
  const out = ['## Summary', '', `**${sum.modeLabel}:** ${mdEscape(sum.modeText)}`, ''];
  if (sum.change.length === 0) out.push(`Change record: ${mdEscape(NO_CHANGE)}`, '');
  else out.push('| Change | Value |', '|---|---|', ...sum.change.map((r) => `| ${mdEscape(r.label)} | ${mdEscape(r.value)} |`), '');
  out.push(`Versions: ${sum.versions.map((v) => `${mdEscape(v.label)} ${mdEscape(v.value)}`).join('; ')}`, '');
  out.push(`| ${SUMMARY_COUNTS.map(capitalized).join(' | ')} |`, `|${SUMMARY_COUNTS.map(() => '---').join('|')}|`, `| ${SUMMARY_COUNTS.map((c) => sum.counts[c]).join(' | ')} |`, '');
  if (sum.overridden.length > 0)
    out.push('Overridden (the checkpoint did not pass, or was not run; the operator went on with the reason given):', '', ...sum.overridden.map((r) => `- **OVERRIDDEN** ${mdEscape(reasonText(r))}`), '');
  if (sum.skipped.length > 0) out.push('Skipped (not done):', '', ...sum.skipped.map((r) => `- skipped: ${mdEscape(reasonText(r))}`), '');
  out.push(sum.span ? `Time span: ${mdEscape(sum.span.from)} to ${mdEscape(sum.span.to)} (${mdEscape(sum.span.duration)})` : 'Time span: no event recorded', '');
  return out;
}

function markdown(plan: Plan, state: SessionState, generatedAt: string, collabsecVersion?: string): string {
  const p = progress(state, plan.steps);
  const integrity = verifyJournal(state);
  const sum = summarize(plan, state, collabsecVersion);
  const out: string[] = [
    // The first line says what kind of session this was: a rehearsal must never read like a change.
    `# ${sum.modeLabel} — Evidence pack: ${mdEscape(plan.title)}`,
    '',
    ...(isTampered(integrity) ? [`> **TAMPERED:** ${mdEscape(tamperedBanner(integrity))}`, ''] : []),
    ...markdownSummary(sum),
    '## Session',
    '',
    `- Session: ${mdEscape(state.name)} (lineage ${mdEscape(state.lineage)}, serial ${mdEscape(state.serial)})`,
    `- Started: ${mdEscape(state.createdAt)} by ${mdEscape(state.createdBy.user)}@${mdEscape(state.createdBy.host)}; last activity ${mdEscape(lastActivity(state))}`,
    `- Inventory: ${mdEscape(state.inventory.path)} (sha256 ${mdEscape(state.inventory.hash)})`,
    `- Catalogue sha256 ${mdEscape(state.catalogueHash)}; plan sha256 ${mdEscape(state.planHash)}`,
    `- Progress: ${p.done}/${p.total} done (${Object.entries(p.byStatus).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${mdEscape(s)}`).join(', ')})`,
    `- Journal: ${mdEscape(integrityLine(integrity))}`,
    `- Generated: ${mdEscape(generatedAt)}`,
    '',
  ];
  if (plan.inventoryHash !== state.inventory.hash || plan.catalogueHash !== state.catalogueHash)
    out.push('> **Warning:** the inventory or catalogue changed since the session last accepted a plan; commands below are from the current plan.', '');
  const all = views(plan, state);
  for (const v of all.filter((x) => !untouched(x))) {
    const { step, record } = v;
    out.push(`## ${mdEscape(step.id)} ${mdEscape(step.title)} — ${mdEscape(statusLabel(record))}`, '');
    out.push(`Product ${mdEscape(step.product)}, ${mdEscape(step.kind)}${step.disruptive ? ', **disruptive**' : ''}. ${mdEscape(step.summary)}`, '');
    if (v.commandsChanged) out.push('> **Flagged:** this step was concluded with commands that differ from the current plan.', '');
    for (const b of stepBreaks(integrity, step.id)) out.push(`> **TAMPERED:** ${mdEscape(b)}`, '');
    const lines = stepLines(step);
    if (lines.length > 0) out.push(fence(lines), '');
    out.push(`Checkpoint: ${mdEscape(step.checkpoint.question)}`, '');
    if (record && record.history.length > 0) {
      out.push('History:', '');
      for (const e of record.history) {
        out.push(`- ${mdEscape(eventText(e))}`);
        for (const d of e.checkpoint?.details ?? []) out.push(`  - ${mdEscape(d.target)}: ${mdEscape(d.outcome)}${d.text ? ` — ${mdEscape(d.text)}` : ''}`);
        for (const t of e.transcripts ?? []) out.push(`  - transcript: ${mdEscape(t)}`);
      }
      out.push('');
    }
    if (record && record.notes.length > 0) {
      out.push('Notes:', '');
      for (const n of record.notes) out.push(`- ${mdEscape(n.at)} ${mdEscape(n.user)}: ${mdEscape(n.text)}`);
      out.push('');
    }
  }
  const idle = all.filter(untouched);
  if (idle.length > 0) out.push(`## ${notStartedTitle(idle.length)}`, '', ...idle.map((v) => `- ${mdEscape(v.step.id)} ${mdEscape(v.step.title)}`), '');
  out.push(...markdownBaselines(baselines(plan, state)));
  return `${out.join('\n').trimEnd()}\n`;
}

/** "changed" / "unchanged" / what is missing, for one target of a baseline. */
function comparison(row: Baseline['rows'][number], b: Baseline): string {
  const same = unchanged(row);
  if (same !== undefined) return same ? 'unchanged' : 'changed';
  if (row.before === undefined) return `no read by ${b.beforeStep}`;
  return b.afterStep === undefined ? 'no later step reads it again' : `not read again yet (${b.afterStep})`;
}

const readLabel = (side: string, r: BaselineRead) => `${side} (${r.stepId}, ${r.at}): ${r.command}`;

/** Baselines (baselines.ts): per name and target, the read before beside the read after. */
function markdownBaselines(list: Baseline[]): string[] {
  const withReads = list.filter((b) => b.rows.length > 0);
  if (withReads.length === 0) return [];
  const out = ['## Baselines', ''];
  for (const b of withReads) {
    out.push(`### ${mdEscape(b.name)} — before ${mdEscape(b.beforeStep)}${b.afterStep !== undefined ? `, after ${mdEscape(b.afterStep)}` : ''}`, '');
    for (const row of b.rows) {
      out.push(`- ${mdEscape(row.target)}: ${mdEscape(comparison(row, b))}`, '');
      for (const [side, r] of [['Before', row.before], ['After', row.after]] as const) {
        if (r !== undefined) out.push(`${mdEscape(readLabel(side, r))}`, '', fence(r.output.replace(/\r\n?/g, '\n').split('\n')), '');
      }
    }
  }
  return out;
}

// ---------- HTML ----------

export function htmlEscape(value: unknown): string {
  return stripControls(String(value)).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function htmlSummary(sum: EvidenceSummary): string[] {
  const h = htmlEscape;
  const out = ['<section id="summary">', '<h2>Summary</h2>', `<p class="mode mode-${h(sum.mode)}"><strong>${h(sum.modeLabel)}:</strong> ${h(sum.modeText)}</p>`];
  if (sum.change.length === 0) out.push(`<p>Change record: ${h(NO_CHANGE)}</p>`);
  else out.push('<table class="change"><tr><th>Change</th><th>Value</th></tr>', ...sum.change.map((r) => `<tr><td>${h(r.label)}</td><td>${h(r.value)}</td></tr>`), '</table>');
  out.push(`<p>Versions: ${sum.versions.map((v) => `${h(v.label)} ${h(v.value)}`).join('; ')}</p>`);
  out.push('<table class="counts"><tr>', ...SUMMARY_COUNTS.map((c) => `<th>${h(capitalized(c))}</th>`), '</tr><tr>', ...SUMMARY_COUNTS.map((c) => `<td>${sum.counts[c]}</td>`), '</tr></table>');
  if (sum.overridden.length > 0)
    out.push('<p>Overridden (the checkpoint did not pass, or was not run; the operator went on with the reason given):</p>', '<ul>', ...sum.overridden.map((r) => `<li class="overridden"><strong>OVERRIDDEN</strong> ${h(reasonText(r))}</li>`), '</ul>');
  if (sum.skipped.length > 0) out.push('<p>Skipped (not done):</p>', '<ul>', ...sum.skipped.map((r) => `<li class="skipped">skipped: ${h(reasonText(r))}</li>`), '</ul>');
  out.push(`<p>${sum.span ? `Time span: ${h(sum.span.from)} to ${h(sum.span.to)} (${h(sum.span.duration)})` : 'Time span: no event recorded'}</p>`, '</section>');
  return out;
}

function html(plan: Plan, state: SessionState, generatedAt: string, collabsecVersion?: string): string {
  const h = htmlEscape;
  const p = progress(state, plan.steps);
  const integrity = verifyJournal(state);
  const sum = summarize(plan, state, collabsecVersion);
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No scripts, no external resources: the pack is opened from a change ticket.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${h(sum.modeLabel)} — Evidence pack: ${h(plan.title)}</title>`,
    // Overridden and skipped steps look different from verified ones, on screen and on paper.
    // Long lines wrap (anywhere, as a last resort) and tables fit the page, so the pack prints on A4 for the change board.
    '<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap;overflow-wrap:anywhere}.flag{color:#b00}' +
      'td,th{overflow-wrap:anywhere;text-align:left;vertical-align:top}table{max-width:100%}table.gui th[scope=row]{white-space:nowrap}' +
      '@page{size:A4;margin:15mm}@media print{body{max-width:none;margin:0;font-size:10pt}pre{background:none;border:1px solid #999}h2,h3{break-after:avoid}tr,pre{break-inside:avoid}}' +
      '.mode{font-size:1.2em;padding:.3em;border:2px solid}.mode-live{color:#b00}.mode-rehearsal{color:#05a}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}' +
      '.overridden{color:#a50;font-weight:bold}section.status-overridden{border-left:6px solid #a50;padding-left:.5em}section.status-skipped{border-left:6px solid #888;padding-left:.5em}</style>',
    '</head><body>',
    `<h1>${h(sum.modeLabel)} — Evidence pack: ${h(plan.title)}</h1>`,
    ...(isTampered(integrity) ? [`<p class="flag"><strong>TAMPERED:</strong> ${h(tamperedBanner(integrity))}</p>`] : []),
    ...htmlSummary(sum),
    '<h2>Session</h2>',
    '<ul>',
    `<li>Session: ${h(state.name)} (lineage ${h(state.lineage)}, serial ${h(state.serial)})</li>`,
    `<li>Started: ${h(state.createdAt)} by ${h(state.createdBy.user)}@${h(state.createdBy.host)}; last activity ${h(lastActivity(state))}</li>`,
    `<li>Inventory: ${h(state.inventory.path)} (sha256 ${h(state.inventory.hash)})</li>`,
    `<li>Catalogue sha256 ${h(state.catalogueHash)}; plan sha256 ${h(state.planHash)}</li>`,
    `<li>Progress: ${p.done}/${p.total} done</li>`,
    `<li>Journal: ${h(integrityLine(integrity))}</li>`,
    `<li>Generated: ${h(generatedAt)}</li>`,
    '</ul>',
  ];
  const all = views(plan, state);
  for (const v of all.filter((x) => !untouched(x))) {
    const { step, record } = v;
    out.push(`<section id="${h(step.id)}" class="status-${h(currentStatus(record))}">`, `<h2>${h(step.id)} ${h(step.title)} — ${h(statusLabel(record))}</h2>`);
    out.push(`<p>Product ${h(step.product)}, ${h(step.kind)}${step.disruptive ? ', <strong>disruptive</strong>' : ''}. ${h(step.summary)}</p>`);
    if (v.commandsChanged) out.push('<p class="flag"><strong>Flagged:</strong> this step was concluded with commands that differ from the current plan.</p>');
    for (const b of stepBreaks(integrity, step.id)) out.push(`<p class="flag"><strong>TAMPERED:</strong> ${h(b)}</p>`);
    out.push(...htmlStepLines(step));
    out.push(`<p>Checkpoint: ${h(step.checkpoint.question)}</p>`);
    if (record && record.history.length > 0) {
      out.push('<h3>History</h3>', '<ul>');
      for (const e of record.history) {
        const sub = [
          ...(e.checkpoint?.details ?? []).map((d) => `<li>${h(d.target)}: ${h(d.outcome)}${d.text ? ` — ${h(d.text)}` : ''}</li>`),
          ...(e.transcripts ?? []).map((t) => `<li>transcript: ${h(t)}</li>`),
        ];
        out.push(`<li>${h(eventText(e))}${sub.length > 0 ? `<ul>${sub.join('')}</ul>` : ''}</li>`);
      }
      out.push('</ul>');
    }
    if (record && record.notes.length > 0) {
      out.push('<h3>Notes</h3>', '<ul>', ...record.notes.map((n) => `<li>${h(n.at)} ${h(n.user)}: ${h(n.text)}</li>`), '</ul>');
    }
    out.push('</section>');
  }
  const idle = all.filter(untouched);
  if (idle.length > 0) out.push('<section id="not-started">', `<h2>${h(notStartedTitle(idle.length))}</h2>`, '<ul>', ...idle.map((v) => `<li id="${h(v.step.id)}">${h(v.step.id)} ${h(v.step.title)}</li>`), '</ul>', '</section>');
  out.push(...htmlBaselines(baselines(plan, state)));
  out.push('</body></html>');
  return `${out.join('\n')}\n`;
}

/**
 * What the plan said to do, for HTML: each node's exact lines in a block, and a GUI path as a
 * table (menu path, then a field → value row each) as the plan's MOP shows it, not as comment
 * lines in a code block; notes and instructions as lists.
 */
function htmlStepLines(step: PlannedStep): string[] {
  const h = htmlEscape;
  const out: string[] = [];
  const gui = (g: RenderedGui, on?: string): string[] => [
    '<table class="gui">',
    `<tr><th scope="row">Menu path${on !== undefined ? ` (${h(on)})` : ''}</th><td colspan="2">${g.path.map(h).join(' &gt; ')}</td></tr>`,
    ...(g.fields.length > 0 ? ['<tr><th></th><th>Field</th><th>Value</th></tr>', ...g.fields.map((f) => `<tr><td></td><td>${h(f.field)}</td><td>${h(f.value)}</td></tr>`)] : []),
    '</table>',
    ...(g.notes.length > 0 ? ['<ul>', ...g.notes.map((n) => `<li>${h(n)}</li>`), '</ul>'] : []),
  ];
  for (const a of step.actions) {
    if (a.commands.length > 0) out.push(`<p>On ${h(a.target)}${a.host ? ` (${h(a.host)})` : ''}${a.configMode ? ', configuration mode' : ''}:</p>`, `<pre>${h(a.commands.join('\n'))}</pre>`);
    if (a.gui && a !== step.actions[0]) out.push(...gui(a.gui, a.target));
  }
  if (step.gui) out.push(...gui(step.gui));
  if (step.instructions.length > 0) out.push('<ul>', ...step.instructions.map((i) => `<li>${h(i)}</li>`), '</ul>');
  return out;
}

function htmlBaselines(list: Baseline[]): string[] {
  const h = htmlEscape;
  const withReads = list.filter((b) => b.rows.length > 0);
  if (withReads.length === 0) return [];
  const out = ['<section id="baselines">', '<h2>Baselines</h2>'];
  for (const b of withReads) {
    out.push(`<h3>${h(b.name)} — before ${h(b.beforeStep)}${b.afterStep !== undefined ? `, after ${h(b.afterStep)}` : ''}</h3>`);
    for (const row of b.rows) {
      const cell = (side: string, r: BaselineRead | undefined) => (r === undefined ? `<td>${h(side)}: none</td>` : `<td>${h(readLabel(side, r))}<pre>${h(r.output)}</pre></td>`);
      out.push(`<p>${h(row.target)}: ${h(comparison(row, b))}</p>`, `<table class="baseline"><tr>${cell('Before', row.before)}${cell('After', row.after)}</tr></table>`);
    }
  }
  out.push('</section>');
  return out;
}

export function renderEvidence(plan: Plan, state: SessionState, format: ReportFormat, generatedAt = new Date().toISOString(), collabsecVersion?: string): string {
  return format === 'html' ? html(plan, state, generatedAt, collabsecVersion) : markdown(plan, state, generatedAt, collabsecVersion);
}
