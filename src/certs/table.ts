// Text table and markdown page of a certificate survey. Text: aligned columns, colour only when
// the caller says so (a TTY without NO_COLOR), then one finding line per port that is not ok.
// Markdown: every cell comes from a device's certificate, so pipes, HTML and line breaks are escaped.
import { countVerdicts, VERDICT_TEXT, type CertRow, type CertSurvey, type CertVerdict } from './types.js';

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const GREEN = '\u001b[32m';
const RESET = '\u001b[0m';

export const AMBER_VERDICTS: readonly CertVerdict[] = ['expiring', 'wrong-name', 'rules'];

function colourOf(v: CertVerdict): string {
  if (v === 'ok') return GREEN;
  return AMBER_VERDICTS.includes(v) ? YELLOW : RED;
}

/** The CN of a DN as @peculiar/x509 prints it ("CN=a, O=b"), else the DN. */
export function cnOf(dn: string): string {
  return /(?:^|,\s*)CN=((?:\\,|[^,])+)/.exec(dn)?.[1]?.trim() ?? dn;
}

/** No control characters or line breaks from a certificate reach the terminal. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function summaryLine(rows: readonly CertRow[]): string {
  const counts = countVerdicts(rows);
  return `${rows.length} port(s): ${Object.entries(counts).map(([v, n]) => `${n} ${v}`).join(', ') || 'none'}`;
}

function cells(r: CertRow): string[] {
  const c = r.certificate;
  return [
    r.node,
    String(r.port),
    r.verdict,
    c ? String(c.daysLeft) : '-',
    c ? c.notAfter.slice(0, 10) : '-',
    c ? c.key : '-',
    c ? cnOf(c.issuer) : '-',
    c ? (c.commonName ?? c.subject) : '-',
  ].map(clean);
}

export function formatTable(s: CertSurvey, opts: { color: boolean }): string {
  const head = ['NODE', 'PORT', 'VERDICT', 'DAYS', 'EXPIRES', 'KEY', 'ISSUER', 'SUBJECT CN'];
  const body = s.rows.map(cells);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: string[], verdict?: CertVerdict) =>
    cols
      .map((c, i) => {
        const padded = i === cols.length - 1 ? c : c.padEnd(width[i]!);
        return opts.color && verdict !== undefined && i === 2 ? `${colourOf(verdict)}${padded}${RESET}` : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(head), ...body.map((b, i) => line(b, s.rows[i]!.verdict))];
  const findings = s.rows.filter((r) => r.verdict !== 'ok');
  if (findings.length > 0) {
    out.push('', 'Findings:');
    for (const r of findings) out.push(`  ${r.node}:${r.port} (${clean(r.service)}) ${r.verdict}: ${clean(r.message)}`);
  }
  out.push('', `${summaryLine(s.rows)}; expiring means within ${s.warnDays} day(s) of ${s.at.slice(0, 10)}`);
  return out.join('\n') + '\n';
}

/** A markdown table cell: no pipe, line break or raw HTML from a certificate gets through. */
export function mdCell(s: string): string {
  return clean(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]])/g, '\\$1');
}

export function formatMarkdown(s: CertSurvey): string {
  const out: string[] = [`# Certificates of ${mdCell(s.inventory)}`, '', `Surveyed ${s.at}; expiring means within ${s.warnDays} day(s). ${summaryLine(s.rows)}.`, ''];
  out.push('| Node | Port | Service | Verdict | Days left | Expires | Subject CN | SANs | Issuer | EKU | Key | Chains to root |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of s.rows) {
    const c = r.certificate;
    const row = [
      r.node,
      `${r.port}${r.address.endsWith(`:${r.port}`) ? '' : ` (${r.address})`}`,
      r.service,
      r.verdict,
      c ? String(c.daysLeft) : '',
      c ? c.notAfter : '',
      c ? (c.commonName ?? c.subject) : '',
      c ? c.sans.join(', ') : '',
      c ? c.issuer : '',
      c ? c.extendedKeyUsage.join(', ') : '',
      c ? c.key : '',
      c ? (c.chainsToRoot ? `yes (${cnOf(c.root ?? '')})` : 'no') : '',
    ];
    out.push(`| ${row.map(mdCell).join(' | ')} |`);
  }
  const findings = s.rows.filter((r) => r.verdict !== 'ok');
  if (findings.length > 0) {
    out.push('', '## Findings', '');
    for (const r of findings) {
      out.push(`- **${mdCell(r.node)}:${r.port}** ${mdCell(r.verdict)} (${mdCell(VERDICT_TEXT[r.verdict])}): ${mdCell(r.message)}`);
      for (const p of r.problems) out.push(`  - ${mdCell(p)}`);
    }
  }
  return out.join('\n') + '\n';
}
