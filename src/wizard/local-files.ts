// Machine checks of the files local steps leave in the session work folder (issue 22,
// `checkpoint.files`): a private key (RSA ≥ 2048 bits, owner-only), a CSR (parses, self-signed,
// the names its certificate role expects for the target, made from the step's key) and a PKCS#12
// bundle (opens with the export password and holds that key with that certificate). What a file
// must be comes from the step data; this module only knows keys, CSRs and bundles. Read-only:
// nothing here writes a file, and the export password reaches openssl on fd 3 only.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { X509Certificate } from '@peculiar/x509';
import type { LoadedInventory } from '../inventory/load.js';
import { BoundedReadError, CERT_FILE_MAX_BYTES, readBounded } from '../io/bounded-read.js';
import type { Action, FileCheck, PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { LocalStepError, readPkcs12 } from '../transport/local.js';
import { expectationFor, ExpectationError } from '../verify/cert/expectations.js';
import { keyInfo } from '../verify/cert/inspect.js';
import { classify, KIND_LABEL } from '../verify/cert/load.js';
import { inspectCsr } from '../verify/cert/report.js';
import { findRole, type Role } from '../verify/cert/roles.js';
import { expectationNode } from './certificate-targets.js';

export interface LocalFilesOptions {
  inventory: LoadedInventory;
  roles: readonly Role[];
  /** The session work folder, where local steps run and leave their files. */
  workdir: string;
  /** The PKCS#12 export password from the environment (COLLABSEC_EXPORT_PASSWORD), if set. */
  exportPassword?: string;
  /** Tests set PATH for openssl; never secrets. */
  env?: Record<string, string>;
}

/** The file checks of one target (its own checkpoint when targets differ, else the step's). */
export function fileCheckTargets(step: PlannedStep): { action: Action; checks: FileCheck[] }[] {
  return step.actions.map((action) => ({ action, checks: (action.checkpoint ?? step.checkpoint).files ?? [] })).filter((t) => t.checks.length > 0);
}

export function hasFileChecks(step: PlannedStep): boolean {
  return fileCheckTargets(step).length > 0;
}

interface Verdict {
  ok: boolean | undefined;
  text: string;
}
const pass = (text: string): Verdict => ({ ok: true, text });
const fail = (text: string): Verdict => ({ ok: false, text });

/** Plain names only: a file check never reads outside the work folder. */
function inWorkdir(workdir: string, name: string): string | undefined {
  return name !== '' && name === basename(name) && name !== '.' && name !== '..' ? join(workdir, name) : undefined;
}

/** The file's bytes, or why it cannot be used (missing, not a regular file, too big). */
async function readWorkFile(workdir: string, name: string): Promise<{ path: string; bytes: Uint8Array; mode: number } | { error: string }> {
  const path = inWorkdir(workdir, name);
  if (path === undefined) return { error: `${name} is not a plain file name in the work folder` };
  try {
    const st = await lstat(path);
    if (!st.isFile()) return { error: `${name} in ${workdir} is not a regular file` };
    return { path, bytes: await readBounded(path, { maxBytes: CERT_FILE_MAX_BYTES }), mode: st.mode & 0o777 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { error: `${name} is not in the work folder ${workdir}` };
    if (e instanceof BoundedReadError) return { error: `${name}: ${e.message}` };
    throw e;
  }
}

/** A private key file: unencrypted PEM/DER private key, parsed; else why not. */
async function loadKey(workdir: string, name: string): Promise<{ key: KeyObject; mode: number } | { error: string }> {
  const f = await readWorkFile(workdir, name);
  if ('error' in f) return f;
  const kind = classify(name, f.bytes).kind;
  if (kind !== 'private-key') return { error: `${name} holds ${KIND_LABEL[kind]}, not an unencrypted private key` };
  try {
    return { key: createPrivateKey({ key: Buffer.from(f.bytes) }), mode: f.mode };
  } catch {
    return { error: `${name} looks like a private key but does not parse` };
  }
}

const spki = (k: KeyObject): Buffer => createPublicKey(k).export({ type: 'spki', format: 'der' });

/** Key: parses, RSA of at least 2048 bits (the chapter's Key Length), readable by its owner only. */
async function checkKey(o: LocalFilesOptions, f: FileCheck): Promise<Verdict[]> {
  const k = await loadKey(o.workdir, f.file);
  if ('error' in k) return [fail(k.error)];
  const out: Verdict[] = [];
  const bits = k.key.asymmetricKeyDetails?.modulusLength;
  if (k.key.asymmetricKeyType !== 'rsa') out.push(fail(`${f.file} is a ${k.key.asymmetricKeyType ?? 'unknown'} key; the Preferred Architecture uses RSA keys only`));
  else if ((bits ?? 0) < 2048) out.push(fail(`${f.file} is an RSA key of ${bits ?? '?'} bits; at least 2048 are required`));
  else out.push(pass(`${f.file}: RSA ${bits}-bit private key`));
  // A private key others can read is compromised on a shared machine: chmod 600.
  out.push(k.mode & 0o077 ? fail(`${f.file} is readable by others (mode ${k.mode.toString(8).padStart(4, '0')}); chmod 600 it`) : pass(`${f.file} is owner-only (mode ${k.mode.toString(8).padStart(4, '0')})`));
  return out;
}

/** CSR: parses, verifies, carries what the role expects for the target; made from `key` when named. */
async function checkCsr(o: LocalFilesOptions, f: FileCheck, target: string): Promise<Verdict[]> {
  const role = f.role === undefined ? undefined : findRole(o.roles, f.role);
  if (role === undefined) return [fail(`the step names certificate role "${f.role ?? ''}", which is not in steps/certificates.yaml`)];
  const file = await readWorkFile(o.workdir, f.file);
  if ('error' in file) return [fail(file.error)];
  const loaded = classify(f.file, file.bytes);
  if (loaded.kind !== 'csr') return [fail(`${f.file} holds ${KIND_LABEL[loaded.kind]}, not a certificate signing request`)];
  const inv = o.inventory.inventory;
  let expectation;
  try {
    expectation = expectationFor(inv, role, target === 'operator' ? undefined : expectationNode(inv, role, target));
  } catch (e) {
    if (e instanceof ExpectationError) return [fail(`${f.file}: the names of ${role.id} cannot be taken from the inventory: ${e.message}`)];
    throw e;
  }
  const report = await inspectCsr({ file: f.file, csr: loaded.csr, role, expectation });
  // Missing KU/EKU in a CSR only warn (the CA template adds them); fails fail the check.
  const out: Verdict[] = report.verdicts.filter((v) => v.status !== 'warning' && v.check !== 'ca').map((v) => ({ ok: v.status === 'pass', text: `${f.file} ${v.check}: ${v.message}` }));
  if (f.key !== undefined) {
    const k = await loadKey(o.workdir, f.key);
    if ('error' in k) out.push(fail(k.error));
    else out.push(spki(k.key).equals(keyInfo(loaded.csr.publicKey).spki) ? pass(`${f.file} was made from ${f.key}`) : fail(`${f.file} was not made from ${f.key}: its public key differs (the key was regenerated since, or another CSR)`));
  }
  return out;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** PKCS#12: opens with the export password and holds exactly the step's key with its certificate. */
async function checkPkcs12(o: LocalFilesOptions, f: FileCheck, password: string | undefined): Promise<Verdict[]> {
  const file = await readWorkFile(o.workdir, f.file);
  if ('error' in file) return [fail(file.error)];
  if (password === undefined || password === '') return [{ ok: undefined, text: `${f.file} cannot be opened without the export password: set COLLABSEC_EXPORT_PASSWORD (it reaches openssl on a file descriptor only), or check it in the run that made it` }];
  let text: string;
  try {
    text = await readPkcs12(f.file, { cwd: o.workdir, password, ...(o.env !== undefined ? { env: o.env } : {}) });
  } catch (e) {
    if (e instanceof LocalStepError) return [fail(e.message)];
    throw e;
  }
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const keys = blocks.filter((b) => /PRIVATE KEY$/.test(b[1]!)).map((b) => createPrivateKey(b[0]));
  const certs = blocks.filter((b) => b[1] === 'CERTIFICATE').map((b) => new X509Certificate(b[0]));
  const out: Verdict[] = [pass(`${f.file} opens with the export password (${keys.length} key(s), ${certs.length} certificate(s))`)];
  const key = f.key === undefined ? undefined : await loadKey(o.workdir, f.key);
  if (key !== undefined && 'error' in key) out.push(fail(key.error));
  else if (key !== undefined) out.push(keys.length === 1 && spki(keys[0]!).equals(spki(key.key)) ? pass(`${f.file} holds the key of ${f.key}`) : fail(`${f.file} does not hold the key of ${f.key} (alone)`));
  if (f.cert !== undefined) {
    const c = await readWorkFile(o.workdir, f.cert);
    const loaded = 'error' in c ? undefined : classify(f.cert, c.bytes);
    if ('error' in c) out.push(fail(c.error));
    else if (loaded?.kind !== 'certificate') out.push(fail(`${f.cert} holds ${KIND_LABEL[loaded!.kind]}, not one certificate`));
    else {
      const want = Buffer.from(loaded.certs[0].rawData);
      const held = certs.find((x) => Buffer.from(x.rawData).equals(want));
      out.push(held !== undefined ? pass(`${f.file} holds the certificate of ${f.cert}`) : fail(`${f.file} does not hold the certificate of ${f.cert}`));
      if (held !== undefined && keys.length === 1) out.push(keyInfo(held.publicKey).spki.equals(spki(keys[0]!)) ? pass(`the certificate in ${f.file} matches its key`) : fail(`the certificate in ${f.file} is for another key than the one bundled with it`));
    }
  }
  return out;
}

/** Every file check of the step, per target; all must pass (a missing export password leaves it unknown). */
export async function checkLocalFiles(step: PlannedStep, o: LocalFilesOptions, password?: string): Promise<CheckpointResult> {
  const details: NonNullable<CheckpointResult['details']> = [];
  const seen = new Set<string>();
  for (const { action, checks } of fileCheckTargets(step)) {
    for (const f of checks) {
      // The same file checked for several targets (an operator-machine step) is checked once.
      const id = `${action.target}\0${JSON.stringify(f)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const verdicts = f.kind === 'key' ? await checkKey(o, f) : f.kind === 'csr' ? await checkCsr(o, f, action.target) : await checkPkcs12(o, f, password ?? o.exportPassword);
      for (const v of verdicts) details.push({ target: action.target, outcome: v.ok === true ? 'passed' : v.ok === false ? 'failed' : 'unknown', text: v.text });
    }
  }
  const outcome = details.length === 0 ? 'unknown' : details.some((d) => d.outcome === 'failed') ? 'failed' : details.every((d) => d.outcome === 'passed') ? 'passed' : 'unknown';
  const bad = details.filter((d) => d.outcome !== 'passed');
  const summary = `file check in the work folder: ${outcome}${bad.length > 0 ? ` — ${bad.map((d) => d.text).join('; ')}` : ` (${details.length} check(s))`}`;
  return { method: 'automatic', outcome, summary, details };
}
