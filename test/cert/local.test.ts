// Local openssl steps with the real openssl binary: the chapter's TMS lines (S098, S099, S101),
// reliability case 9 (the export password never in /proc/<pid>/cmdline or environ) and case 10
// (umask 000 → keys, CSRs 0600 and the working folder 0700 from the first byte).
import { readFileSync, statSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWorkdir, parseCommandLine, prepareArgv, runLocal } from '../../src/transport/local.js';
import { parseInventory } from '../../src/inventory/load.js';
import { checkFiles } from '../../src/verify/cert/check-files.js';
import { classify } from '../../src/verify/cert/load.js';
import { findRole, loadRoleTable } from '../../src/verify/cert/roles.js';
import { tempDir } from './pki.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const SUBJ = '/C=US/O=Cisco/CN=us-tms1.ent-pa.com';
let savedUmask: number | undefined;

afterEach(() => {
  if (savedUmask !== undefined) process.umask(savedUmask);
  savedUmask = undefined;
});

describe('parseCommandLine', () => {
  it('splits on spaces and keeps quoted strings whole', () => {
    expect(parseCommandLine('openssl req -new -key k.pem -subj "/O=San Jose Office/CN=x"  -out c.pem')).toEqual([
      'openssl', 'req', '-new', '-key', 'k.pem', '-subj', '/O=San Jose Office/CN=x', '-out', 'c.pem',
    ]);
    expect(parseCommandLine(`echo '' "a b"`)).toEqual(['echo', '', 'a b']);
  });

  it('refuses control characters, unbalanced quotes and shell operators', () => {
    expect(() => parseCommandLine('openssl genrsa\n-out x')).toThrow(/control characters/);
    expect(() => parseCommandLine('openssl "genrsa')).toThrow('unbalanced " quote');
    expect(() => parseCommandLine('openssl x509 -in a > b')).toThrow('">" is shell syntax');
  });

  it('refuses passwords on the command line and asks for what openssl would prompt', () => {
    expect(() => prepareArgv('openssl pkcs12 -export -in a -inkey b -out c -passout pass:secret', {})).toThrow(/-passout pass:… would put a password on the command line/);
    expect(() => prepareArgv('openssl pkcs12 -export -in a -inkey b -out c', {})).toThrow(/needs a password/);
    expect(() => prepareArgv('openssl req -new -key k -out c', {})).toThrow(/would prompt for the subject/);
    expect(prepareArgv('openssl req -new -key k -out c', { subject: SUBJ })).toEqual(['openssl', 'req', '-new', '-key', 'k', '-out', 'c', '-subj', SUBJ]);
    expect(prepareArgv('openssl pkcs12 -export -in a -inkey b -out c', { password: 'x' }).slice(-2)).toEqual(['-passout', 'fd:3']);
  });
});

describe('runLocal with openssl', () => {
  it('case 10: under umask 000 the folder is 0700 and key, CSR and PKCS#12 are 0600', async () => {
    savedUmask = process.umask(0);
    const dir = await ensureWorkdir(join(await tempDir(), 'session-1', 'work'));
    expect(mode(dir)).toBe(0o700);
    const seen: number[] = [];
    // Watch the key file while openssl runs: it must never be observed with another mode.
    const key = join(dir, 'us-tms1-privatekey.pem');
    const r = await runLocal('openssl genrsa -out us-tms1-privatekey.pem 2048', {
      cwd: dir,
      onSpawn: () => {
        if (existsSync(key)) seen.push(mode(key));
      },
    });
    expect(seen).toEqual([0o600]);
    expect(r.outputs).toEqual([key]);
    expect(mode(key)).toBe(0o600);
    expect(classify(key, readFileSync(key)).kind).toBe('private-key');

    await runLocal('openssl req -new -key us-tms1-privatekey.pem -out us-tms1-certcsr.pem', { cwd: dir, subject: SUBJ, extraArgs: ['-addext', 'subjectAltName=DNS:us-tms1.ent-pa.com'] });
    const csrPath = join(dir, 'us-tms1-certcsr.pem');
    expect(mode(csrPath)).toBe(0o600);
    const loaded = classify(csrPath, readFileSync(csrPath));
    expect(loaded.kind).toBe('csr');
    if (loaded.kind === 'csr') expect(loaded.csr.subject).toContain('CN=us-tms1.ent-pa.com');
    // The CSR openssl wrote passes the TMS checkpoint's CSR inspection (names, key, hash).
    const roles = await loadRoleTable();
    const example = new URL('../../examples/ent-pa.yaml', import.meta.url);
    const report = await checkFiles({ file: csrPath, role: findRole(roles, 'tms/server')!, inventory: parseInventory(readFileSync(example, 'utf8'), example.pathname) });
    expect(report.verdicts.filter((v) => v.status !== 'pass').map((v) => `${v.status} ${v.check}`)).toEqual(['warning extended-key-usage']);

    // A self-signed stand-in for the CA's answer, so the PKCS#12 step has a certificate.
    await runLocal('openssl x509 -req -in us-tms1-certcsr.pem -key us-tms1-privatekey.pem -days 2 -out us-tms1.cer', { cwd: dir });
    expect(mode(join(dir, 'us-tms1.cer'))).toBe(0o600);
  });

  it('case 9: the PKCS#12 export password is in neither cmdline nor environ while openssl runs', async () => {
    const dir = await ensureWorkdir(join(await tempDir(), 'work'));
    await runLocal('openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1', { cwd: dir, subject: '/CN=us-tms1.ent-pa.com' });
    const secret = `S3cr3t-${process.pid}-export`;
    let cmdline = '';
    let environ = '';
    const r = await runLocal('openssl pkcs12 -export -inkey k.pem -in c.pem -out us-tms1-cert-key.p12 -name us-tms1-cert-key', {
      cwd: dir,
      password: secret,
      // Runs before the password is written to fd 3, so openssl is alive and waiting for it.
      onSpawn: (pid) => {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      },
    });
    expect(cmdline.split('\0')).toContain('pkcs12');
    expect(cmdline).toContain('fd:3');
    expect(cmdline).not.toContain(secret);
    expect(environ.length).toBeGreaterThan(0);
    expect(environ).not.toContain(secret);
    const p12 = join(dir, 'us-tms1-cert-key.p12');
    expect(r.outputs).toEqual([p12]);
    expect(mode(p12)).toBe(0o600);
    expect(classify(p12, await readFile(p12)).kind).toBe('pkcs12');
    // The password really protects the bundle: reading it back with the password works…
    const back = await runLocal('openssl pkcs12 -in us-tms1-cert-key.p12 -nokeys -passin fd:3 -out back.pem', { cwd: dir, password: secret });
    expect(back.outputs).toHaveLength(1);
    expect(readFileSync(join(dir, 'back.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    // …and a wrong one fails with openssl's message, without echoing the secret.
    await expect(runLocal('openssl pkcs12 -in us-tms1-cert-key.p12 -nokeys -passin fd:3 -out back2.pem', { cwd: dir, password: 'wrong' })).rejects.toThrow(/failed \(exit code 1\)/);
    expect(existsSync(join(dir, 'back2.pem'))).toBe(false);
  });

  it('issue 19: with device passwords exported, openssl gets only PATH, HOME, LANG, LC_ALL, TMPDIR and no secret in argv', async () => {
    const dir = await ensureWorkdir(join(await tempDir(), 'work'));
    await runLocal('openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1', { cwd: dir, subject: '/CN=us-tms1.ent-pa.com' });
    const planted: Record<string, string> = {
      COLLABSEC_VOS_PASSWORD: `vos-${process.pid}-Pw`,
      COLLABSEC_IOS_PASSWORD: `ios-${process.pid}-Pw`,
      COLLABSEC_MMP_PASSWORD: `mmp-${process.pid}-Pw`,
      IOS_ENABLE_SECRET: `enable-${process.pid}-Sc`,
      CA_API_TOKEN: `token-${process.pid}-Tk`,
      LANG: 'C.UTF-8',
    };
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    Object.assign(process.env, planted);
    const secret = `S3cr3t-${process.pid}-export`;
    let cmdline = '';
    let environ = '';
    try {
      await runLocal('openssl pkcs12 -export -inkey k.pem -in c.pem -out x.p12 -name x', {
        cwd: dir,
        password: secret,
        // A caller's extra variables are kept, unless their name looks like a secret.
        env: { OPENSSL_TEST_MARK: 'kept', EXTRA_PASSWORD: 'dropped-pw' },
        onSpawn: (pid) => {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        },
      });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const names = environ.split('\0').filter((e) => e !== '').map((e) => e.slice(0, e.indexOf('=')));
    expect(names.sort()).toEqual([...['HOME', 'LANG', 'PATH', 'TMPDIR', 'LC_ALL'].filter((k) => k === 'LANG' || process.env[k] !== undefined), 'OPENSSL_TEST_MARK'].sort());
    expect(environ).toContain('LANG=C.UTF-8');
    for (const v of [...Object.values(planted).filter((v) => v !== 'C.UTF-8'), secret, 'dropped-pw']) {
      expect(environ).not.toContain(v);
      expect(cmdline).not.toContain(v);
    }
  });

  it('missing openssl and failing openssl give clear errors', async () => {
    const dir = await ensureWorkdir(join(await tempDir(), 'work'));
    await expect(runLocal('openssl genrsa -out k.pem 2048', { cwd: dir, env: { PATH: '/nonexistent' } })).rejects.toMatchObject({
      name: 'LocalStepError',
      message: 'openssl was not found on this machine (PATH)',
      tryMessage: expect.stringContaining('install OpenSSL'),
    });
    expect(existsSync(join(dir, 'k.pem'))).toBe(false);
    await expect(runLocal('openssl req -new -key missing.pem -out c.csr', { cwd: dir, subject: SUBJ })).rejects.toThrow(
      /^openssl req -new -key missing\.pem -out c\.csr -subj \/C=US\/O=Cisco\/CN=us-tms1\.ent-pa\.com failed \(exit code 1\):/,
    );
  });

  it('refuses to overwrite an existing key or write outside the folder', async () => {
    const dir = await ensureWorkdir(join(await tempDir(), 'work'));
    await runLocal('openssl genrsa -out k.pem 2048', { cwd: dir });
    const before = readFileSync(join(dir, 'k.pem'), 'utf8');
    await expect(runLocal('openssl genrsa -out k.pem 2048', { cwd: dir })).rejects.toThrow(/k\.pem already exists; refusing to overwrite it/);
    expect(readFileSync(join(dir, 'k.pem'), 'utf8')).toBe(before);
    await expect(runLocal('openssl genrsa -out ../k.pem 2048', { cwd: dir })).rejects.toThrow(/is outside the session working folder/);
  });

  it('stops openssl when the operator aborts, removing its partial output', async () => {
    const dir = await ensureWorkdir(join(await tempDir(), 'work'));
    const ac = new AbortController();
    const run = runLocal('openssl genrsa -out big.pem 8192', { cwd: dir, signal: ac.signal, onSpawn: () => setTimeout(() => ac.abort(), 50) });
    await expect(run).rejects.toThrow('openssl genrsa -out big.pem 8192 was stopped by the operator');
    expect(existsSync(join(dir, 'big.pem'))).toBe(false);
  });
});
