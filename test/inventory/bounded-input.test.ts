// Issue 19 slice 1: the inventory and every file it names are regular files read with a size
// cap; aliases, over-long values and non-UTF-8 bytes are exit 3 naming the problem. The inputs
// that an unbounded reader would choke on (/dev/zero, a FIFO, a huge file, an alias bomb) run in a
// child process under a memory cap: --max-old-space-size plus a watchdog that kills the child when
// its resident set passes RSS_KILL_MB, and a time limit. Today's behaviour ends in that kill (or a
// hang, or exit 70), so each case fails on it.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { InventoryError, MAX_PROBLEMS_SHOWN, MAX_SCALAR_CHARS, parseInventory } from '../../src/inventory/load.js';
import { BoundedReadError, CERT_FILE_MAX_BYTES, INVENTORY_MAX_BYTES, decodeUtf8, readBounded, readBoundedSync } from '../../src/io/bounded-read.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
const example = fs.readFileSync(path.join(repo, 'examples', 'ent-pa.yaml'), 'utf8');
const RSS_KILL_MB = 400;
const RSS_OK_MB = 200;
// A child still running after this is killed (a blocked read of a FIFO or a device never ends):
// generous, so a busy CI machine never trips it; refused inputs end in well under a second.
const TIME_LIMIT_MS = 60_000;

function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(example);
  edit(doc);
  return doc.toString();
}

/** Nine levels of nine aliases: 9^9 strings once expanded ("billion laughs"). */
function aliasBomb(field: string): string {
  let bomb = 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < 9; i++) bomb += `x${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  return `${bomb}${example.replace(new RegExp(`^${field}:`, 'm'), `${field}: *a8\nunused_${field}:`)}`;
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssMb: number;
  killedFor?: 'memory' | 'time';
}

let entry = '';
let dir = '';
const peaks: Record<string, number> = {};

/** Runs the bundled CLI under a memory cap; never lets it grow past RSS_KILL_MB or run past TIME_LIMIT_MS. */
function runCapped(label: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const p = spawn(process.execPath, ['--max-old-space-size=128', entry, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let killedFor: ChildResult['killedFor'];
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${p.pid}/status`, 'utf8');
        const kb = Math.max(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
        peak = Math.max(peak, kb / 1024);
      } catch {
        /* exited */
      }
      if (peak > RSS_KILL_MB && !killedFor) {
        killedFor = 'memory';
        p.kill('SIGKILL');
      } else if (Date.now() - started > TIME_LIMIT_MS && !killedFor) {
        killedFor = 'time';
        p.kill('SIGKILL');
      }
    }, 10);
    p.on('close', (code, signal) => {
      clearInterval(poll);
      peaks[label] = Math.round(peak);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, peakRssMb: peak, ...(killedFor ? { killedFor } : {}) });
    });
  });
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabsec-bounded-'));
  const outdir = path.join(repo, 'node_modules', '.cache', 'collabsec-bounded');
  fs.mkdirSync(outdir, { recursive: true });
  entry = path.join(outdir, `entry-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(import.meta.dirname, 'bounded-entry.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    outfile: entry,
    logLevel: 'silent',
  });
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  fs.mkdirSync(path.join(dir, 'certs'));
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (entry) fs.rmSync(entry, { force: true });
  // The issue asks for the peak memory of each input: shown with the test output.
  if (Object.keys(peaks).length) process.stdout.write(`peak RSS (MB) per input: ${JSON.stringify(peaks)}\n`);
});

function expectRefused(r: ChildResult, message: RegExp): void {
  expect(r.killedFor, `child was killed (${r.killedFor ?? ''}) after ${r.ms} ms at ${Math.round(r.peakRssMb)} MB; stderr: ${r.stderr.slice(0, 400)}`).toBeUndefined();
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|a bug in collabsec|\n\s+at /);
  expect(r.code).toBe(3);
  expect(r.peakRssMb).toBeLessThan(RSS_OK_MB);
}

describe('bounded input files, under a memory cap in a child process', () => {
  it('the inventory /dev/zero is refused at once as a device', async () => {
    const r = await runCapped('inventory /dev/zero', ['plan', '-i', '/dev/zero']);
    expectRefused(r, /inventory \/dev\/zero is a character device, not a regular file/);
    // Ended by itself (not killed at TIME_LIMIT_MS): it never read the device.
    expect(r.killedFor).toBeUndefined();
  });

  it('a FIFO as the inventory is refused without blocking', async () => {
    const r = await runCapped('inventory FIFO', ['plan', '-i', 'fifo']);
    expectRefused(r, /fifo is a FIFO \(named pipe\), not a regular file/);
    // Ended by itself (not killed at TIME_LIMIT_MS): opening the FIFO did not block.
    expect(r.killedFor).toBeUndefined();
  });

  it('a folder, a /proc file and a missing file are refused as the inventory', async () => {
    expectRefused(await runCapped('inventory folder', ['plan', '-i', 'certs']), /inventory \S*\/certs is a folder, not a regular file/);
    expectRefused(await runCapped('inventory /proc', ['plan', '-i', '/proc/self/environ']), /\/proc\/self\/environ is a kernel pseudo-file/);
    expectRefused(await runCapped('inventory missing', ['plan', '-i', 'nope.yaml']), /inventory \S*\/nope\.yaml does not exist/);
  });

  it('a 10 MB inventory is refused before it is read', async () => {
    write('huge.yaml', `${example}\n${'# padding padding padding padding padding padding padding padding\n'.repeat(160_000)}`);
    const r = await runCapped('inventory 10 MB', ['plan', '-i', 'huge.yaml']);
    expectRefused(r, /huge\.yaml is too large \(10(\.\d)? MiB; at most 1 MiB is read\)/);
  });

  it('a CA file named by the inventory that is /dev/zero, a FIFO or a /proc file stops the plan naming its field', async () => {
    write('zero-ca.yaml', edited((d) => d.setIn(['ca', 'enterprise', 'rootCertFile'], '/dev/zero')));
    const zero = await runCapped('rootCertFile /dev/zero', ['plan', '-i', 'zero-ca.yaml']);
    expectRefused(zero, /ca\.enterprise\.rootCertFile: \/dev\/zero is a character device, not a regular file/);
    write('fifo-ca.yaml', edited((d) => d.setIn(['ca', 'public', 'rootCertFile'], 'fifo')));
    expectRefused(await runCapped('rootCertFile FIFO', ['plan', '-i', 'fifo-ca.yaml']), /ca\.public\.rootCertFile: fifo is a FIFO \(named pipe\), not a regular file/);
    write('proc-ca.yaml', edited((d) => d.setIn(['ca', 'b2bPartnerRootFiles', 0], '/proc/self/environ')));
    expectRefused(await runCapped('b2bPartnerRootFiles /proc', ['plan', '-i', 'proc-ca.yaml']), /ca\.b2bPartnerRootFiles\[0\]: \/proc\/self\/environ is a kernel pseudo-file/);
  });

  it('a CA file over the size cap stops the plan naming its field', async () => {
    write('certs/big.cer', Buffer.alloc(CERT_FILE_MAX_BYTES + 1, 0x41));
    write('big-ca.yaml', edited((d) => d.setIn(['ca', 'enterprise', 'rootCertFile'], 'certs/big.cer')));
    expectRefused(await runCapped('rootCertFile 512 KiB + 1', ['plan', '-i', 'big-ca.yaml']), /ca\.enterprise\.rootCertFile: certs\/big\.cer is too large/);
  });

  it('the certificate loader refuses /dev/zero and a FIFO at once', async () => {
    const zero = await runCapped('cert load /dev/zero', ['--load-cert', '/dev/zero']);
    expect(zero.killedFor).toBeUndefined();
    expect(zero.stderr.trim()).toBe('/dev/zero is a character device, not a regular file');
    expect(zero.peakRssMb).toBeLessThan(RSS_OK_MB);
    const fifo = await runCapped('cert load FIFO', ['--load-cert', 'fifo']);
    expect(fifo.killedFor).toBeUndefined();
    expect(fifo.stderr.trim()).toBe('fifo is a FIFO (named pipe), not a regular file');
  });

  it('a YAML alias bomb is exit 3 naming the problem, in a field that is validated and in one that is not', async () => {
    write('bomb.yaml', aliasBomb('remoteClusters'));
    expectRefused(await runCapped('alias bomb (remoteClusters)', ['plan', '-i', 'bomb.yaml']), /line 2\): YAML aliases expand to too many nodes .*alias bomb/);
    write('bomb-ios.yaml', aliasBomb('ios'));
    expectRefused(await runCapped('alias bomb (ios)', ['plan', '-i', 'bomb-ios.yaml']), /YAML aliases expand to too many nodes/);
  });

  it('an undefined alias is exit 3 naming the alias and its line', async () => {
    write('undef.yaml', example.replace(/^domain: .*$/m, 'domain: *nowhere'));
    const line = example.split('\n').findIndex((l) => l.startsWith('domain:')) + 1;
    expectRefused(await runCapped('undefined alias', ['plan', '-i', 'undef.yaml']), new RegExp(`domain \\(line ${line}\\): YAML alias \\*nowhere refers to no anchor`));
  });

  it('non-UTF-8 bytes are exit 3 naming the line', async () => {
    const text = Buffer.from(example.replace('ENT-PA Enterprise Root CA', 'ENT-PA Entreprise CA XX'), 'utf8');
    const at = text.indexOf('XX');
    text[at] = 0xe9; // Latin-1 "é"
    text[at + 1] = 0x20;
    write('latin1.yaml', text);
    const line = example.split('\n').findIndex((l) => l.includes('ENT-PA Enterprise Root CA')) + 1;
    expectRefused(await runCapped('Latin-1 byte', ['plan', '-i', 'latin1.yaml']), new RegExp(`\\(line ${line}\\): bytes that are not UTF-8`));
  });

  it('a value of almost 1 MiB is refused with its path and line, without echoing it', async () => {
    write('long.yaml', example.replace(/^title: .*$/m, `title: ${'x'.repeat(1_000_000)}`));
    const r = await runCapped('1 MB value', ['plan', '-i', 'long.yaml']);
    expectRefused(r, /title \(line 6\): value is 1000000 characters long; at most 4096 are accepted/);
    expect(r.stderr.length).toBeLessThan(2_000);
  });
});

describe('readBounded / readBoundedSync', () => {
  it('reads a regular file up to the cap and refuses one byte more, both ways', async () => {
    const ok = write('ok.bin', Buffer.alloc(1000, 1));
    const over = write('over.bin', Buffer.alloc(1001, 1));
    expect(readBoundedSync(ok, { maxBytes: 1000 }).length).toBe(1000);
    expect((await readBounded(ok, { maxBytes: 1000 })).length).toBe(1000);
    expect(() => readBoundedSync(over, { maxBytes: 1000 })).toThrow(/over\.bin is too large \(1 KiB; at most 1 KiB is read\)/);
    await expect(readBounded(over, { maxBytes: 1000 })).rejects.toMatchObject({ problem: 'too-large' });
  });

  it('names the problem of a folder, a missing file and a /proc file', async () => {
    const problem = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as BoundedReadError).problem;
      }
      return 'read';
    };
    expect(problem(() => readBoundedSync(dir, { maxBytes: 10 }))).toBe('not-regular');
    expect(problem(() => readBoundedSync(path.join(dir, 'nope'), { maxBytes: 10 }))).toBe('missing');
    expect(problem(() => readBoundedSync('/proc/self/status', { maxBytes: INVENTORY_MAX_BYTES }))).toBe('pseudo-file');
    await expect(readBounded('/proc/self/status', { maxBytes: 10 })).rejects.toBeInstanceOf(BoundedReadError);
  });

  it('decodeUtf8 names the first line holding bytes that are not UTF-8, and drops a BOM', () => {
    expect(decodeUtf8('f', Buffer.from('\ufeffa: é\n'))).toBe('a: é\n');
    const bad = Buffer.concat([Buffer.from('a: 1\nb: 2\nc: '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    expect(() => decodeUtf8('inv.yaml', bad)).toThrow(/inv\.yaml has bytes that are not UTF-8 on line 3/);
  });
});

describe('YAML limits in parseInventory', () => {
  const problems = (text: string) => {
    try {
      parseInventory(text, 'inv.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(InventoryError);
      return (e as InventoryError).problems;
    }
    throw new Error('inventory unexpectedly valid');
  };

  it('an alias without an anchor is a problem with its path and line', () => {
    const p = problems(example.replace(/^ {2}vos: \{.*$/m, '  vos: *creds'));
    expect(p).toEqual([expect.objectContaining({ path: 'credentials.vos', message: expect.stringMatching(/YAML alias \*creds refers to no anchor/) })]);
  });

  it('anchors and a few aliases are still accepted', () => {
    const text = example.replace(/^ {2}vos: \{(.*)\}$/m, '  vos: &creds {$1}').replace(/^ {2}mmp: \{.*\}$/m, '  mmp: *creds');
    expect(parseInventory(text, 'inv.yaml').inventory.credentials.mmp?.username).toBe('administrator');
  });

  it('an over-long key or value is reported once with its path and line', () => {
    const long = 'y'.repeat(MAX_SCALAR_CHARS + 1);
    const text = example.replace(/^ {2}jabber: .*$/m, `  jabber: ${long}`).replace(/^ldap:/m, `? ${long}\n: 1\nldap:`);
    const line = text.split('\n').findIndex((l) => l.startsWith('  jabber:')) + 1;
    const keyLine = text.split('\n').findIndex((l) => l.startsWith('? y')) + 1;
    expect(problems(text).map((x) => `${x.path} (${x.line}): ${x.message}`).sort()).toEqual([
      ` (${keyLine}): a key is ${MAX_SCALAR_CHARS + 1} characters long; at most ${MAX_SCALAR_CHARS} are accepted`,
      `phoneSecurityProfiles.jabber (${line}): value is ${MAX_SCALAR_CHARS + 1} characters long; at most ${MAX_SCALAR_CHARS} are accepted`,
    ]);
  });

  // 60,000 unknown keys fit in the 1 MiB cap. The yaml library's duplicate-key check scanned every
  // earlier key per key (25 s here), and the message named all 60,000 (470 KB of stderr).
  it('60,000 unknown keys are one bounded problem; a duplicate at the end of them is still found with its line', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}\n`).join('');
    const p = problems(`${example}${keys}`);
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toBe('unknown keys: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9 and 59990 more');
    const text = `${example}${keys}k17: again\n`;
    const dup = problems(text);
    expect(dup).toEqual([
      expect.objectContaining({ line: text.split('\n').length - 1, message: 'Map keys must be unique: k17 appears more than once' }),
    ]);
  });

  it('thousands of the same mistake list MAX_PROBLEMS_SHOWN and count the rest', () => {
    const aliases = Array.from({ length: 5_000 }, (_, i) => `  - *missing${i}\n`).join('');
    const p = problems(`${example}extra:\n${aliases}`);
    expect(p).toHaveLength(MAX_PROBLEMS_SHOWN + 1);
    expect(p[0]).toEqual(expect.objectContaining({ path: 'extra[0]', message: expect.stringMatching(/alias \*missing0 refers to no anchor/) }));
    expect(p.at(-1)!.message).toBe(`… and ${5_000 - MAX_PROBLEMS_SHOWN} more problems of the same kinds`);
  });

  it('nesting thousands deep is a YAML problem, not a crash', () => {
    const p = problems(`domain: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(p[0]?.message).toMatch(/^YAML: /);
  });
});
