// `collabsec certs` against the lab's TLS services on 127.0.0.1 (test/certs/lab.ts): one verdict
// per kind of port (ok, expiring, expired, self-signed, wrong name, wrong chain, no answer, plain
// text, refused), the JSON shape, --warn-days' exit code, the text table (snapshot) and colour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CertRow } from '../../src/certs/types.js';
import { ExitCode } from '../../src/errors.js';
import { captureIo } from '../cert/io.js';
import { startEstate, type Estate } from './lab.js';

let estate: Estate;
beforeAll(async () => {
  estate = await startEstate();
}, 120_000);
afterAll(async () => {
  await estate?.close();
});

// A generous budget: the hanging port costs this much, in parallel with the others.
const TIMEOUT = ['--timeout', '4'];

async function certs(args: string[], io = captureIo()) {
  const code = await main(['certs', '--inventory', estate.inventory, ...TIMEOUT, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

interface Json {
  ok: boolean;
  inventory: string;
  at: string;
  warnDays: number;
  rows: CertRow[];
}

describe('collabsec certs on the lab estate', () => {
  let json: Json;
  let code: number;
  beforeAll(async () => {
    const r = await certs(['--json', '--warn-days', '30']);
    code = r.code;
    if (r.out === "") throw new Error(`no output; stderr: ${r.err}`);
    json = JSON.parse(r.out) as Json;
  }, 120_000);

  it('gives every port its verdict, in inventory order, and exits 6 with --warn-days', () => {
    expect(Object.fromEntries(json.rows.map((r) => [r.node, r.verdict]))).toEqual(estate.expected);
    // One port a node: the lab inventory enables no service with a second one (no CallManager, no IM and Presence).
    expect(json.rows.map((r) => r.node)).toEqual(['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-cm-sub3', 'us-cuc', 'us-cmm', 'us-tms', 'us-pcd', 'us-pcp']);
    expect(code).toBe(ExitCode.certificates);
    expect(json.ok).toBe(false);
    expect(json.warnDays).toBe(30);
  });

  it('JSON: the certificate facts of a good port, the address actually probed under tlsPorts', () => {
    const pub = json.rows.find((r) => r.node === 'us-cm-pub')!;
    expect(pub).toMatchObject({ group: 'cucm-node', service: expect.stringContaining('Tomcat'), port: 8443, role: 'cucm/tomcat', verdict: 'ok', problems: expect.any(Array) });
    expect(pub.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(pub.address).not.toBe('127.0.0.1:8443');
    const c = pub.certificate!;
    expect(c.subject).toBe('CN=us-cm-pub.lab.example');
    expect(c.commonName).toBe('us-cm-pub.lab.example');
    expect(c.sans).toEqual(['DNS:us-cm-pub.lab.example']);
    expect(c.issuer).toBe('CN=Lab Enterprise Root CA');
    expect(c.extendedKeyUsage).toEqual(['TLS Web Server Authentication', 'TLS Web Client Authentication']);
    expect(c.key).toBe('RSA 2048-bit');
    expect(c.chainsToRoot).toBe(true);
    expect(c.root).toBe('CN=Lab Enterprise Root CA');
    expect(c.daysLeft).toBeGreaterThanOrEqual(398);
    expect(c.daysLeft).toBeLessThanOrEqual(400);
    expect(c.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(c.chain).toEqual(['CN=us-cm-pub.lab.example', 'CN=Lab Enterprise Root CA']);
    expect(Date.parse(c.notAfter)).toBeGreaterThan(Date.parse(json.at));
  });

  it('JSON: what each bad port is told', () => {
    const row = (n: string) => json.rows.find((r) => r.node === n)!;
    expect(row('us-tms').certificate!.daysLeft).toBeLessThan(30);
    expect(row('us-tms').certificate!.chainsToRoot).toBe(true);
    expect(row('us-tms').message).toMatch(/expires in \d+ day\(s\)/);
    expect(row('us-cm-sub2').certificate!.daysLeft).toBeLessThan(0);
    expect(row('us-cm-sub2').message).toMatch(/^expired on /);
    expect(row('us-cmm').certificate!.chainsToRoot).toBe(false);
    expect(row('us-cmm').message).toContain('self-signed');
    expect(row('us-pcp').certificate!.chainsToRoot).toBe(false);
    expect(row('us-pcp').message).toContain('Stranger Root CA (lab)');
    expect(row('us-cm-sub3').message).toContain('us-cm-sub3.lab.example');
    // A verdict within the budget for the silent port, and no certificate facts where none was read.
    expect(row('us-pcd').message).toMatch(/no TLS certificate within 4 s/);
    expect(row('us-pcd').certificate).toBeUndefined();
    expect(row('us-cuc').message).toContain('does not speak TLS');
    expect(row('us-cm-sub1').message).toContain('connection refused');
  });

  it('--warn-days: the threshold decides expiring, and an all-ok survey exits 0; no --warn-days always exits 0', async () => {
    const tms5 = await certs(['--json', '--node', 'us-tms', '--warn-days', '5']);
    expect((JSON.parse(tms5.out) as Json).rows[0]!.verdict).toBe('ok');
    expect(tms5.code).toBe(ExitCode.ok);
    const tms30 = await certs(['--json', '--node', 'us-tms', '--warn-days', '30']);
    expect((JSON.parse(tms30.out) as Json).rows[0]!.verdict).toBe('expiring');
    expect(tms30.code).toBe(ExitCode.certificates);
    const noWarn = await certs(['--node', 'us-tms', '--node', 'us-cmm']);
    expect(noWarn.code).toBe(ExitCode.ok);
  }, 120_000);

  it('the text table: plain off a terminal (snapshot), colour on a terminal unless NO_COLOR', async () => {
    const plain = await certs(['--warn-days', '30']);
    expect(plain.out).not.toContain('\u001b[');
    expect(plain.out).toMatch(/^NODE +PORT +VERDICT +DAYS +EXPIRES +KEY +ISSUER +SUBJECT CN\n/);
    expect(plain.out).toMatch(/\nus-cm-pub +8443 +ok +\d+ +\d{4}-\d\d-\d\d +RSA 2048-bit +Lab Enterprise Root CA +us-cm-pub\.lab\.example\n/);
    // Dates, random ports and today's date vary from run to run; the rest is stable.
    const stable = plain.out
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
      .replace(/\d{4}-\d\d-\d\d/g, '<date>')
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
    expect(stable).toMatchSnapshot();
    const tty = await certs(['--node', 'us-cm-pub', '--node', 'us-cmm'], captureIo({ tty: true, env: { TERM: 'xterm' } }));
    expect(tty.out).toContain('\u001b[32mok');
    expect(tty.out).toContain('\u001b[31mself-signed');
    const noColor = await certs(['--node', 'us-cm-pub'], captureIo({ tty: true, env: { TERM: 'xterm', NO_COLOR: '1' } }));
    expect(noColor.out).not.toContain('\u001b[');
  }, 120_000);

  it('markdown: a table row per port and a finding per bad port', async () => {
    const md = await certs(['--format', 'markdown']);
    expect(md.code).toBe(ExitCode.ok);
    expect(md.out).toContain('| Node | Port | Service | Verdict | Days left | Expires | Subject CN | SANs | Issuer | EKU | Key | Chains to root |');
    for (const [node, verdict] of Object.entries(estate.expected)) expect(md.out).toMatch(new RegExp(`\\n\\| ${node} \\| \\d+ \\(127\\.0\\.0\\.1:\\d+\\) \\| [^|]+ \\| ${verdict} \\|`));
    expect(md.out).toContain('## Findings');
    expect(md.out).toMatch(/- \*\*us-pcp:443\*\* wrong-chain/);
  }, 120_000);

  it('--tls-pins: each leaf shown as pinned, changed or not pinned; the file is only read', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { pinFromColonHex } = await import('../../src/transport/tls-pins.js');
    const pub = json.rows.find((r) => r.node === 'us-cm-pub')!;
    const tms = json.rows.find((r) => r.node === 'us-tms')!;
    const file = join(estate.dir, 'pins');
    const text = `${pub.address} ${pinFromColonHex(pub.certificate!.sha256)}\n${tms.address} sha256:${'0'.repeat(64)}\n`;
    await writeFile(file, text);
    const r = await certs(['--json', '--tls-pins', file, '--node', 'us-cm-pub', '--node', 'us-tms', '--node', 'us-cmm']);
    const rows = (JSON.parse(r.out) as Json).rows;
    expect(Object.fromEntries(rows.map((x) => [x.node, x.pin]))).toEqual({ 'us-cm-pub': 'pinned', 'us-tms': 'changed', 'us-cmm': 'not-pinned' });
    expect(rows.find((x) => x.node === 'us-tms')!.problems.join('\n')).toContain('not the certificate pinned for it');
    expect(await readFile(file, 'utf8')).toBe(text);
  }, 120_000);

  it('bad usage exits 2 naming the flag', async () => {
    expect((await certs(['--warn-days', 'soon'])).code).toBe(ExitCode.usage);
    expect((await certs(['--format', 'pdf'])).err).toContain('--format pdf');
    const unknown = await certs(['--node', 'nope']);
    expect(unknown.code).toBe(ExitCode.usage);
    expect(unknown.err).toContain('--node nope');
  });
});
