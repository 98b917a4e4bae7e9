// Local steps of the wizard (issue 5): actions with `platform: 'local'` run on the operator's
// machine through src/transport/local.ts (execa, no shell) in a per-session working folder
// beside the session file. Only with --live: the run command builds this port then, and a
// rehearsal has no port, so it runs nothing. UI-free: the controller asks for the PKCS#12
// export password (masked) and passes it here; it reaches openssl on fd 3 only.
import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Inventory } from '../inventory/schema.js';
import type { Plan, PlannedStep } from '../plan/types.js';
import { ensureWorkdir, LocalStepError, parseCommandLine, prepareArgv, runLocal } from '../transport/local.js';
import { expectationFor, ExpectationError, opensslRequestArgs } from '../verify/cert/expectations.js';
import { findRole, type Role } from '../verify/cert/roles.js';
import { expectationNode } from './certificate-targets.js';
import type { LocalStep, NodeOutcome, RunHooks, StepRunOutcome } from './types.js';

export { localWorkdir } from './workdir.js';

/** One line to run, with what openssl needs to stay non-interactive. */
export interface LocalCommand {
  target: string;
  line: string;
  /** `openssl req -new` without -subj: the subject and SANs from the inventory (opensslRequestArgs). */
  subject?: string;
  extraArgs?: string[];
  /** The line reads a password on fd 3 (PKCS#12 export, encrypted key). */
  needsPassword: boolean;
  /** Files the line reads (-in, -inkey, -key…) that must be in the working folder first. */
  inputs: string[];
}

export type LocalStepPlan = { runnable: true; commands: LocalCommand[] } | { runnable: false; reason: string };

const INPUT_FLAGS = new Set(['-in', '-inkey', '-key', '-CA', '-CAkey', '-certfile']);

function isSftp(step: PlannedStep): boolean {
  return step.actions.some((a) => a.platform === 'local' && /^sftp(\s|$)/.test(a.commands[0] ?? ''));
}

export { isLocalStep } from './execute.js';

/**
 * The role whose expectation names the subject of a CSR made by this step: the step's own
 * certificate checkpoint, else that of a step requiring it (S094 → S095 cmm/server, S099 → S100
 * tms/server: the CA signs what the CSR asks for, so it must already name what S095/S100 check).
 */
export function requestRole(step: PlannedStep, plan: Plan, target?: string): string | undefined {
  const own = step.actions.find((a) => a.target === target)?.checkpoint?.certificate ?? step.checkpoint.certificate;
  if (own !== undefined) return own;
  return plan.steps.find((s) => s.requires.includes(step.id) && s.checkpoint.certificate !== undefined)?.checkpoint.certificate;
}

function buildsRequest(argv: readonly string[]): boolean {
  return argv[0] === 'openssl' && argv[1] === 'req' && ['-new', '-newkey', '-x509'].some((f) => argv.includes(f)) && !argv.includes('-in') && !argv.includes('-subj');
}

/**
 * What collabsec would run for a local step, or why it leaves the step to the operator. Throws
 * LocalStepError for a line it cannot run safely (shell syntax, a subject it cannot name).
 */
export function planLocalStep(step: PlannedStep, ctx: { plan: Plan; inventory: Inventory; roles: readonly Role[] }): LocalStepPlan {
  if (isSftp(step)) {
    // sftp is left to the operator. The batch form would be `sftp -b - user@host` with the get/put
    // lines (without the final `bye`) on stdin, but it does not fit: runLocal gives the program no
    // stdin (only fd 3 for a secret), and `-b` turns on BatchMode, which disables the password
    // authentication that the Meeting Server's MMP admin account uses, so the batch could not log in.
    return {
      runnable: false,
      reason: `${step.id} uses sftp, which asks for the MMP admin password itself: collabsec does not run it. Open a shell in the session work folder, run the sftp line and type the get/put lines shown, then come back for the checkpoint.`,
    };
  }
  const commands: LocalCommand[] = [];
  for (const a of step.actions.filter((x) => x.platform === 'local')) {
    for (const line of a.commands) {
      const argv = parseCommandLine(line);
      if (argv[0] !== 'openssl') throw new LocalStepError(`${step.id}: "${argv[0] ?? ''}" is not a command collabsec runs locally (only openssl)`, 'do this step yourself and answer its checkpoint');
      const c: LocalCommand = { target: a.target, line, needsPassword: false, inputs: [] };
      if (buildsRequest(argv)) {
        const roleId = requestRole(step, ctx.plan, a.target);
        const role = roleId === undefined ? undefined : findRole(ctx.roles, roleId);
        if (role === undefined) throw new LocalStepError(`${step.id}: openssl req needs a subject, and no certificate role of this step or of the steps after it names one`, 'run the line yourself and type the subject openssl asks for');
        try {
          const args = opensslRequestArgs(expectationFor(ctx.inventory, role, a.target === 'operator' ? undefined : expectationNode(ctx.inventory, role, a.target)));
          c.subject = args.subject;
          // The catalogue line may carry the SAN itself (templates/local.yaml openssl-req, review
          // A.3); openssl refuses a second subjectAltName, so the expectation's is added only when absent.
          if (!argv.some((v) => v.startsWith('subjectAltName='))) c.extraArgs = args.extraArgs;
        } catch (e) {
          if (e instanceof ExpectationError) throw new LocalStepError(`${step.id}: the subject for ${role.id} cannot be taken from the inventory: ${e.message}`);
          throw e;
        }
      }
      // With a placeholder password, prepareArgv says whether openssl would read one on fd 3.
      c.needsPassword = prepareArgv(line, { subject: c.subject, extraArgs: c.extraArgs, password: 'x' }).includes('fd:3');
      argv.forEach((v, i) => {
        const next = argv[i + 1];
        if (INPUT_FLAGS.has(v) && next !== undefined) c.inputs.push(next);
      });
      commands.push(c);
    }
  }
  if (commands.length === 0) return { runnable: false, reason: `${step.id} has no local command lines` };
  return { runnable: true, commands };
}

/** True when running the step needs the export password asked first (masked). */
export function needsLocalPassword(p: LocalStepPlan): boolean {
  return p.runnable && p.commands.some((c) => c.needsPassword);
}

export interface LocalRunOptions {
  /** The per-session working folder (created 0700 if missing). */
  workdir: string;
  /** Asked (masked) by the wizard; sent on fd 3 only. */
  password?: string;
  /** Tests set PATH; never secrets. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs a planned local step line by line, stopping at the first failure. */
export async function runLocalStep(step: PlannedStep, p: LocalStepPlan, hooks: RunHooks, o: LocalRunOptions): Promise<StepRunOutcome> {
  if (!p.runnable) return { outcome: 'failed', summary: p.reason, nodes: [] };
  const workdir = await ensureWorkdir(o.workdir);
  const lines: string[] = [];
  const nodes = new Map<string, NodeOutcome>();
  const show = (text: string, done: boolean): void => {
    lines.push(text);
    hooks.progress([...lines], done, done ? text : undefined);
  };
  const created: string[] = [];
  for (const c of p.commands) {
    const fail = (why: string): StepRunOutcome => {
      show(`${c.target}: ${why}`, true);
      nodes.set(c.target, { node: c.target, outcome: 'failed', summary: `${c.target}: ${why}` });
      return { outcome: 'failed', summary: `${c.line}: ${why}`, nodes: [...nodes.values()] };
    };
    if (hooks.signal.aborted) return fail('stopped by the operator before it ran');
    for (const input of c.inputs) {
      try {
        await access(join(workdir, input));
      } catch {
        return fail(`${input} is not in the session work folder ${workdir}; put it there (e.g. the certificate the CA returned) and run the step again`);
      }
    }
    if (c.needsPassword && (o.password === undefined || o.password === '')) return fail('needs the export password, and none was given');
    show(`${c.target}: ${c.line}…`, false);
    try {
      const r = await runLocal(c.line, {
        cwd: workdir,
        ...(c.subject !== undefined ? { subject: c.subject } : {}),
        ...(c.extraArgs !== undefined ? { extraArgs: c.extraArgs } : {}),
        ...(c.needsPassword ? { password: o.password } : {}),
        ...(o.env !== undefined ? { env: o.env } : {}),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
        signal: hooks.signal,
      });
      created.push(...r.outputs.map((f) => basename(f)));
      lines.pop();
      show(`${c.target}: ok — ${r.display}${r.outputs.length > 0 ? ` (created ${r.outputs.map((f) => basename(f)).join(', ')}, owner-only)` : ''}`, true);
      nodes.set(c.target, { node: c.target, outcome: 'ok', summary: `${c.target}: ok` });
    } catch (e) {
      if (!(e instanceof LocalStepError)) throw e;
      lines.pop();
      return fail(e.tryMessage !== undefined ? `${e.message}. ${e.tryMessage}` : e.message);
    }
  }
  const what = `${p.commands.length} local command(s) ok in ${workdir}`;
  return { outcome: 'ok', summary: created.length > 0 ? `${what}; created ${created.join(', ')}` : what, nodes: [...nodes.values()] };
}

/** The wizard's local-step port (--live only): plans and runs a step in the session's work folder. */
export type { LocalStep };

export function localStepPort(ctx: { plan: Plan; inventory: Inventory; roles: readonly Role[]; workdir: string; env?: Record<string, string> }): LocalStep {
  return async (step, hooks) => {
    let p: LocalStepPlan;
    try {
      p = planLocalStep(step, ctx);
    } catch (e) {
      if (!(e instanceof LocalStepError)) throw e;
      return { outcome: 'failed', summary: e.message, nodes: [] };
    }
    return runLocalStep(step, p, hooks, { workdir: ctx.workdir, ...(hooks.password !== undefined ? { password: hooks.password } : {}), ...(ctx.env !== undefined ? { env: ctx.env } : {}) });
  };
}

/** The controller's local port (--live only): what a step needs before it runs, and the run itself. */
export function localPort(ctx: { plan: Plan; inventory: Inventory; roles: readonly Role[]; workdir: string; env?: Record<string, string> }): {
  prepare: (step: PlannedStep) => { runnable: true; needsPassword: boolean } | { runnable: false; reason: string };
  run: LocalStep;
} {
  return {
    prepare: (step) => {
      try {
        const p = planLocalStep(step, ctx);
        return p.runnable ? { runnable: true, needsPassword: needsLocalPassword(p) } : p;
      } catch (e) {
        if (!(e instanceof LocalStepError)) throw e;
        return { runnable: false, reason: e.tryMessage !== undefined ? `${e.message}. ${e.tryMessage}` : e.message };
      }
    },
    run: localStepPort(ctx),
  };
}
