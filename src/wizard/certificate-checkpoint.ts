// Certificate checkpoints in the wizard (issue 5): a step whose checkpoint names a certificate
// role (`checkpoint.certificate`, or an action's own checkpoint when targets differ) is checked
// with the same checker as `collabsec cert check`. The operator points at the file the CA
// returned (optionally its CSR and chain); every verdict is kept, any fail fails the checkpoint,
// and the result is a CheckpointResult (method "certificate") for the controller to record.
// UI-free: the controller asks for the files and shows `lines`.
import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { BoundedReadError, CERT_FILE_MAX_BYTES, readBounded } from '../io/bounded-read.js';
import { isAbsolute, resolve } from 'node:path';
import type { LoadedInventory } from '../inventory/load.js';
import type { PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { CheckUsageError, checkFiles } from '../verify/cert/check-files.js';
import { ExpectationError } from '../verify/cert/expectations.js';
import { formatReport, verdictRows, verdictTotal } from '../verify/cert/format.js';
import { CertFileError } from '../verify/cert/load.js';
import { DEFAULT_EXPIRY_DAYS } from '../verify/cert/report.js';
import { findRole, type Role } from '../verify/cert/roles.js';
import { certificatePort, certificateTargets, expectationNode, hasCertificateCheckpoint, TUI_SUPPLY_CHAIN, type CertificateTarget } from './certificate-targets.js';
import { hasFailure, type Report, type Verdict } from '../verify/cert/types.js';
import { ASK_CSR } from './types.js';

// Which certificates a checkpoint asks for is decided before the first frame; only the check
// itself needs the certificate parser (@peculiar/x509), so the TUI loads this module on a check.
export { certificatePort, certificateTargets, expectationNode, hasCertificateCheckpoint, TUI_SUPPLY_CHAIN, type CertificateTarget };

/** What the operator typed for one certificate target (paths as typed). */
export interface CertificateFiles {
  file: string;
  csrFile?: string;
  chainFiles?: string[];
}

export interface CertificateCheckContext {
  inventory: LoadedInventory;
  roles: readonly Role[];
  /** Relative paths resolve against these folders, first match wins (the operator's cwd, the session work folder). */
  baseDirs: readonly string[];
  /**
   * The folder the TUI resolves a typed relative path against, named on its screen (the
   * inventory's folder; default: the first of baseDirs). The TUI resolves before the check.
   */
  folder?: string;
  /** How a missing issuer is asked for (the TUI names its question; plain mode its flags). */
  supplyChain?: string;
  expiryDays?: number;
  now?: Date;
}

export interface CertificateTargetResult {
  target: CertificateTarget;
  /** Absent when the files could not be checked (then `error` says why). */
  report?: Report;
  error?: string;
  /** sha256 of the certificate file, for the evidence pack. */
  sha256?: string;
}

export interface CertificateCheckOutcome {
  result: CheckpointResult;
  targets: CertificateTargetResult[];
  /** The reports as the command prints them (no colour), for plain mode. */
  lines: string[];
  /**
   * The verdict table per certificate for the TUI's failed checkpoint: a title row (who, file,
   * OK / NOT OK with the counts), then `cert check`'s verdict rows; an unusable file is one row.
   */
  table?: string[];
}

async function locate(p: string, baseDirs: readonly string[]): Promise<string> {
  if (isAbsolute(p)) return p;
  for (const dir of baseDirs) {
    const abs = resolve(dir, p);
    try {
      await access(abs);
      return abs;
    } catch {
      // try the next folder
    }
  }
  // Not found anywhere: the checker names the first candidate in its "does not exist" message.
  return resolve(baseDirs[0] ?? '.', p);
}

const TAG: Record<Verdict['status'], string> = { pass: 'PASS', fail: 'FAIL', warning: 'WARN' };

/** How a missing issuer is asked for when the caller does not say (the file may carry its chain). */
export const DEFAULT_SUPPLY_CHAIN = 'append it to the certificate file, after the certificate';

/** Checks one target's files; an unusable file or an inventory gap is a failed check, never a crash. */
export async function checkCertificateTarget(target: CertificateTarget, files: CertificateFiles, ctx: CertificateCheckContext): Promise<CertificateTargetResult> {
  const role = findRole(ctx.roles, target.role);
  if (!role) return { target, error: `the step names certificate role "${target.role}", which is not in steps/certificates.yaml` };
  if (files.file.trim() === '') return { target, error: 'no certificate file given' };
  try {
    const file = await locate(files.file.trim(), ctx.baseDirs);
    // The CSR the operator named wins; else the one an earlier step left (found like the
    // certificate: the operator's folder, then the session work folder). A signing step whose CSR
    // the operator downloaded cannot be judged without it: the key match is the point of the check.
    const named = files.csrFile?.trim() ? files.csrFile.trim() : target.csr !== undefined && target.csr !== ASK_CSR ? target.csr : undefined;
    if (named === undefined && target.csr === ASK_CSR) return { target, error: 'no CSR given: this signing step checks the certificate against the CSR it answers, so the CSR file is needed' };
    const csrFile = named !== undefined ? await locate(named, ctx.baseDirs) : undefined;
    const chainFiles = await Promise.all((files.chainFiles ?? []).filter((c) => c.trim() !== '').map((c) => locate(c.trim(), ctx.baseDirs)));
    // A checkpoint passes only with a chain compared with the root the role relies on: a root file
    // the inventory names that is missing fails it (cert check only warns).
    const strictChain = { supply: ctx.supplyChain ?? DEFAULT_SUPPLY_CHAIN };
    const report = await checkFiles({ file, role, inventory: ctx.inventory, node: target.node, csrFile, chainFiles, expiryDays: ctx.expiryDays ?? DEFAULT_EXPIRY_DAYS, now: ctx.now, strictChain });
    if (report.summary.kind === 'csr') {
      // At an upload checkpoint the CA's answer is wanted; a CSR only says what was asked for.
      report.verdicts.unshift({ check: 'file', status: 'fail', message: `${files.file} is a certificate signing request, not the certificate the CA returned` });
    }
    // Read again, bounded like the check's own read: the file may have been swapped in between.
    const sha256 = createHash('sha256').update(await readBounded(file, { maxBytes: CERT_FILE_MAX_BYTES })).digest('hex');
    return { target, report, sha256 };
  } catch (e) {
    if (e instanceof CertFileError || e instanceof CheckUsageError || e instanceof ExpectationError || e instanceof BoundedReadError) return { target, error: e.message };
    throw e;
  }
}

/** Every target checked; any fail (or unusable file) fails the checkpoint; warnings do not. */
export async function checkCertificateCheckpoint(step: PlannedStep, targets: readonly CertificateTarget[], answers: ReadonlyMap<string, CertificateFiles>, ctx: CertificateCheckContext): Promise<CertificateCheckOutcome> {
  const results: CertificateTargetResult[] = [];
  for (const t of targets) {
    const files = answers.get(t.key);
    results.push(files === undefined ? { target: t, error: 'no certificate file given' } : await checkCertificateTarget(t, files, ctx));
  }
  return summarise(step, results);
}

export function summarise(step: PlannedStep, results: readonly CertificateTargetResult[]): CertificateCheckOutcome {
  const details: NonNullable<CheckpointResult['details']> = [];
  const parts: string[] = [];
  const lines: string[] = [];
  const table: string[] = [];
  let failed = results.length === 0;
  for (const r of results) {
    const who = r.target.label;
    if (r.report === undefined) {
      failed = true;
      details.push({ target: who, outcome: 'failed', text: r.error ?? 'not checked' });
      parts.push(`${who}: ${r.error ?? 'not checked'}`);
      lines.push(`${who}: ${r.error ?? 'not checked'}`, '');
      table.push(`${who}: NOT CHECKED: ${r.error ?? 'not checked'}`);
      continue;
    }
    const rep = r.report;
    const bad = hasFailure(rep);
    failed ||= bad;
    const count = (s: Verdict['status']) => rep.verdicts.filter((v) => v.status === s).length;
    const s = rep.summary;
    details.push({
      target: who,
      outcome: bad ? 'failed' : 'passed',
      text: `${rep.file}: ${s.subject}${s.issuer ? `, issued by ${s.issuer}` : ''}${s.notAfter ? `, valid until ${s.notAfter}` : ''}${r.sha256 ? `, sha256 ${r.sha256}` : ''}`,
    });
    for (const v of rep.verdicts) details.push({ target: who, outcome: v.status === 'fail' ? 'failed' : 'passed', text: `${TAG[v.status]} ${v.check}: ${v.message}` });
    const fails = rep.verdicts.filter((v) => v.status === 'fail').map((v) => `${v.check}: ${v.message}`);
    parts.push(`${who}: ${bad ? 'NOT OK' : 'OK'} (${count('fail')} failed, ${count('warning')} warning(s), ${count('pass')} passed)${fails.length > 0 ? ` — ${fails.join('; ')}` : ''}`);
    lines.push(...formatReport(rep, { color: false, title: who }).trimEnd().split('\n'), '');
    table.push(`${who} · ${rep.file}: ${verdictTotal(rep)}`, ...verdictRows(rep, { color: false }));
  }
  const result: CheckpointResult = {
    method: 'certificate',
    outcome: failed ? 'failed' : 'passed',
    summary: `certificate check of ${step.id}: ${parts.join(' | ') || 'no certificate named'}`,
    details,
  };
  return { result, targets: [...results], table, lines: lines.slice(0, lines.length > 0 && lines.at(-1) === '' ? -1 : undefined) };
}
