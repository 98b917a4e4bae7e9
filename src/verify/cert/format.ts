// Human and JSON views of a certificate report. Colour is decided by the caller (TTY, NO_COLOR).
import { hasFailure, type Report, type Status } from './types.js';

const TAG: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', warning: 'WARN' };
const COLOUR: Record<Status, string> = { pass: '\u001b[32m', fail: '\u001b[31m', warning: '\u001b[33m' };
const RESET = '\u001b[0m';

export function formatReport(r: Report, opts: { color: boolean; title?: string }): string {
  const s = r.summary;
  const lines: string[] = [];
  const what = s.kind === 'csr' ? 'certificate signing request' : 'certificate';
  lines.push(`${r.file}: ${what} checked as ${r.role}${opts.title ? ` (${opts.title})` : ''}`);
  const row = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== '') lines.push(`  ${k.padEnd(10)} ${v}`);
  };
  row('Subject', s.subject);
  row('Issuer', s.issuer);
  row('SANs', s.sans.join(', ') || '(none)');
  row('Key Usage', s.keyUsage.join(', ') || '(none)');
  row('EKU', s.extendedKeyUsage.join(', ') || '(none)');
  row('Key', `${s.key}, ${s.signature}`);
  if (s.notBefore && s.notAfter) row('Valid', `${s.notBefore} → ${s.notAfter}`);
  if (s.kind === 'csr') lines.push('  (what the CA will be asked for; pick or create a CA template that matches)');
  lines.push('', ...verdictRows(r, opts), '', verdictTotal(r));
  return lines.join('\n') + '\n';
}

/** The verdict table: one aligned row per check ("  FAIL  names  …"), as `cert check` prints it. */
export function verdictRows(r: Report, opts: { color: boolean }): string[] {
  const width = Math.max(...r.verdicts.map((v) => v.check.length));
  return r.verdicts.map((v) => {
    const tag = opts.color ? `${COLOUR[v.status]}${TAG[v.status]}${RESET}` : TAG[v.status];
    return `  ${tag}  ${v.check.padEnd(width)}  ${v.message}`;
  });
}

/** The table's last line: "NOT OK: 2 failed, 0 warning(s), 9 passed". */
export function verdictTotal(r: Report): string {
  const count = (st: Status) => r.verdicts.filter((v) => v.status === st).length;
  return `${hasFailure(r) ? 'NOT OK' : 'OK'}: ${count('fail')} failed, ${count('warning')} warning(s), ${count('pass')} passed`;
}

export function reportJson(r: Report): string {
  return JSON.stringify({ ok: !hasFailure(r), ...r }, null, 2) + '\n';
}
