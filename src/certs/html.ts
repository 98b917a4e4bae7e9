// The survey as one self-contained HTML page (no script, no external file: it can be mailed or
// attached to a change): an inline SVG timeline of expiries — one lane per certificate, from the
// survey's day to its notAfter, a line at "now" and at the warning horizon — and the full table.
// Every text comes from a device's certificate or the inventory, so all of it is HTML-escaped.
import { AMBER_VERDICTS, cnOf, summaryLine } from './table.js';
import { VERDICT_TEXT, type CertRow, type CertSurvey, type CertVerdict } from './types.js';

const DAY = 86_400_000;

export function esc(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function colour(v: CertVerdict): string {
  if (v === 'ok') return '#1a7f37';
  return AMBER_VERDICTS.includes(v) ? '#b26b00' : '#c62828';
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One lane per row that presented a certificate; the axis spans now (or the oldest expiry) to the latest expiry. */
export function timelineSvg(s: CertSurvey): string {
  const rows = s.rows.filter((r): r is CertRow & { certificate: NonNullable<CertRow['certificate']> } => r.certificate !== undefined);
  const now = new Date(s.at).getTime();
  const W = 960;
  const LABEL = 260;
  const LANE = 22;
  const TOP = 30;
  const H = TOP + Math.max(1, rows.length) * LANE + 30;
  if (rows.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="No certificate was read"><text x="10" y="40" font-size="14">No certificate was read.</text></svg>`;
  }
  const ends = rows.map((r) => new Date(r.certificate.notAfter).getTime());
  const horizon = now + s.warnDays * DAY;
  const t0 = Math.min(now, ...ends) - 7 * DAY;
  const t1 = Math.max(horizon, ...ends) + 7 * DAY;
  // Room on the right for the last marker's "N d" and the last date label.
  const x = (t: number) => LABEL + ((t - t0) / (t1 - t0)) * (W - LABEL - 70);
  const parts: string[] = [];
  // Five date ticks across the axis.
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    parts.push(`<line x1="${x(t).toFixed(1)}" y1="${TOP - 8}" x2="${x(t).toFixed(1)}" y2="${H - 24}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(t).toFixed(1)}" y="${H - 8}" font-size="11" text-anchor="${i === 4 ? 'end' : 'middle'}" fill="#555">${day(new Date(t))}</text>`);
  }
  parts.push(`<line x1="${x(now).toFixed(1)}" y1="${TOP - 14}" x2="${x(now).toFixed(1)}" y2="${H - 24}" stroke="#333" stroke-width="2"/>`);
  parts.push(`<text x="${x(now).toFixed(1)}" y="${TOP - 16}" font-size="11" text-anchor="middle">now</text>`);
  parts.push(`<line x1="${x(horizon).toFixed(1)}" y1="${TOP - 14}" x2="${x(horizon).toFixed(1)}" y2="${H - 24}" stroke="#b26b00" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${x(horizon).toFixed(1)}" y="${TOP - 16}" font-size="11" text-anchor="start" fill="#b26b00"> +${s.warnDays} d</text>`);
  rows.forEach((r, i) => {
    const y = TOP + i * LANE;
    const end = new Date(r.certificate.notAfter).getTime();
    const c = colour(r.verdict);
    const label = `${r.node}:${r.port}`;
    const tip = `${label} ${r.verdict}: ${cnOf(r.certificate.subject)} expires ${r.certificate.notAfter} (${r.certificate.daysLeft} days)`;
    parts.push(`<g class="lane" data-verdict="${esc(r.verdict)}"><title>${esc(tip)}</title>`);
    parts.push(`<text x="${LABEL - 8}" y="${y + 15}" font-size="12" text-anchor="end">${esc(label)}</text>`);
    const a = Math.min(x(now), x(end));
    const b = Math.max(x(now), x(end));
    parts.push(`<rect x="${a.toFixed(1)}" y="${y + 6}" width="${Math.max(1, b - a).toFixed(1)}" height="10" rx="3" fill="${c}" fill-opacity="0.35"/>`);
    parts.push(`<circle cx="${x(end).toFixed(1)}" cy="${y + 11}" r="5" fill="${c}"/>`);
    parts.push(`<text x="${(x(end) + 8).toFixed(1)}" y="${y + 15}" font-size="11" fill="${c}">${esc(`${r.certificate.daysLeft} d`)}</text></g>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Certificate expiry timeline">${parts.join('')}</svg>`;
}

export function formatHtml(s: CertSurvey): string {
  const head = ['Node', 'Port', 'Service', 'Verdict', 'Days left', 'Expires', 'Subject', 'SANs', 'Issuer', 'EKU', 'Key', 'Chains to root', 'SHA-256', 'Why'];
  const rows = s.rows.map((r) => {
    const c = r.certificate;
    const cellsText = [
      r.node,
      `${r.port}${r.address.endsWith(`:${r.port}`) ? '' : ` (${r.address})`}`,
      r.service,
      r.verdict,
      c ? String(c.daysLeft) : '',
      c ? c.notAfter : '',
      c ? c.subject : '',
      c ? c.sans.join(', ') : '',
      c ? c.issuer : '',
      c ? c.extendedKeyUsage.join(', ') : '',
      c ? c.key : '',
      c ? (c.chainsToRoot ? `yes (${c.root ?? ''})` : 'no') : '',
      c ? c.sha256 : '',
    ];
    const why = [r.message, ...r.problems.filter((p) => !p.endsWith(r.message))];
    const tds = cellsText.map((t, i) => (i === 3 ? `<td class="v" style="color:${colour(r.verdict)}" title="${esc(VERDICT_TEXT[r.verdict])}">${esc(t)}</td>` : `<td>${esc(t)}</td>`));
    tds.push(`<td>${why.map((w) => esc(w)).join('<br>')}</td>`);
    return `<tr class="row" data-node="${esc(r.node)}" data-port="${r.port}" data-verdict="${esc(r.verdict)}">${tds.join('')}</tr>`;
  });
  const title = `Certificates of ${s.inventory}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:12px}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}
td.v{font-weight:bold}
td{max-width:360px;overflow-wrap:anywhere}
</style></head>
<body>
<h1>${esc(title)}</h1>
<p>Surveyed ${esc(s.at)}; expiring means within ${s.warnDays} day(s). ${esc(summaryLine(s.rows))}.</p>
<h2>Expiry timeline</h2>
${timelineSvg(s)}
<h2>Ports</h2>
<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
