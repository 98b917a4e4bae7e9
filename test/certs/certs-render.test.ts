// The pure parts of `collabsec certs`: bounded concurrency, and renderers that never let a
// certificate's text become markup (HTML) or break a table (markdown, terminal).
import { describe, expect, it } from 'vitest';
import { formatHtml } from '../../src/certs/html.js';
import { mapBounded } from '../../src/certs/survey.js';
import { formatMarkdown, formatTable } from '../../src/certs/table.js';
import type { CertRow, CertSurvey } from '../../src/certs/types.js';

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps the order of the inputs', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 25 }, (_, i) => i);
    const out = await mapBounded(items, 4, async (n) => {
      running++;
      most = Math.max(most, running);
      // Later items finish first: results must still come back in input order.
      await new Promise((r) => setTimeout(r, (25 - n) % 7));
      running--;
      return n * 2;
    });
    expect(out).toEqual(items.map((n) => n * 2));
    expect(most).toBe(4);
  });

  it('a slow item holds one slot only: the others all finish while it waits', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const finished: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4, 5], 2, async (n) => {
      if (n === 0) await slow;
      finished.push(n);
      return n;
    });
    // Poll (no wall-clock bound): items 1–5 go through the second slot while item 0 hangs.
    for (let i = 0; i < 1000 && finished.length < 5; i++) await new Promise((r) => setTimeout(r, 5));
    expect(finished).toEqual([1, 2, 3, 4, 5]);
    release();
    expect(await run).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

const hostile = '<script>alert(1)</script>"|x\n`y`';
const row: CertRow = {
  node: 'us-cm-pub',
  group: 'cucm-node',
  service: 'Cisco Tomcat',
  port: 8443,
  address: '192.0.2.10:8443',
  verdict: 'wrong-name',
  message: `neither the CN (${hostile}) nor the SAN covers us-cm-pub.ent-pa.com`,
  problems: [`FAIL names: ${hostile}`],
  certificate: {
    subject: `CN=${hostile}`,
    commonName: hostile,
    sans: [`DNS:${hostile}`],
    issuer: `CN=<b>Evil CA</b>`,
    keyUsage: [],
    extendedKeyUsage: ['TLS Web Server Authentication'],
    key: 'RSA 2048-bit',
    signature: 'SHA-256 with RSASSA-PKCS1-v1_5',
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2027-01-01T00:00:00Z',
    daysLeft: 200,
    sha256: 'AA:BB',
    chain: [`CN=${hostile}`],
    chainsToRoot: false,
  },
  elapsedMs: 5,
};
const survey: CertSurvey = { inventory: 'Lab <inventory>', at: '2026-06-15T00:00:00.000Z', warnDays: 30, rows: [row] };

describe('renderers keep certificate text as text', () => {
  it('HTML: every text is escaped, no script, no external resource', () => {
    const page = formatHtml(survey);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<b>Evil');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;|x');
    expect(page).toContain('Lab &#60;inventory&#62;');
    expect(page).not.toMatch(/(?:src|href)=/i);
    expect(page).toContain('<svg');
  });

  it('markdown: a hostile name cannot add a column, a line or markup', () => {
    const md = formatMarkdown(survey);
    const line = md.split('\n').find((l) => l.startsWith('| us-cm-pub'))!;
    // 12 columns: 13 unescaped pipes.
    expect(line.match(/(?<!\\)\|/g)).toHaveLength(13);
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
  });

  it('terminal: no control character from a certificate reaches the screen', () => {
    const text = formatTable({ ...survey, rows: [{ ...row, message: 'evil\u001b]0;title\u0007 text' }] }, { color: false });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
