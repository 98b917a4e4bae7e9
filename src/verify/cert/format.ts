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
  lines.push('');
  const width = Math.max(...r.verdicts.map((v) => v.check.length));
  for (const v of r.verdicts) {
    const tag = opts.color ? `${COLOUR[v.status]}${TAG[v.status]}${RESET}` : TAG[v.status];
    lines.push(`  ${tag}  ${v.check.padEnd(width)}  ${v.message}`);
  }
  const count = (st: Status) => r.verdicts.filter((v) => v.status === st).length;
  lines.push('', `${hasFailure(r) ? 'NOT OK' : 'OK'}: ${count('fail')} failed, ${count('warning')} warning(s), ${count('pass')} passed`);
  return lines.join('\n') + '\n';
}

export function reportJson(r: Report): string {
  return JSON.stringify({ ok: !hasFailure(r), ...r }, null, 2) + '\n';
}
