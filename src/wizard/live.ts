// The SSH ports of the wizard (--live only), over the transport's executor: one pooled session
// per node for the whole run, transcripts beside the session file, host keys checked against
// known_hosts with first contact confirmed by the operator. Loaded with import() by `run`, so a
// rehearsal never loads ssh2. Adapter: maps transport results onto the controller's ports.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import type { LoadedInventory } from '../inventory/load.js';
import type { Topology } from '../inventory/topology.js';
import type { Action, Plan } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { TransportError } from '../transport/errors.js';
import { executeAction, runVerify, type ActionResult } from '../transport/executor.js';
import { SessionPool, type LiveTarget } from '../transport/session.js';
import { knownHostsStore } from '../transport/ssh/known-hosts.js';
import type { ExecuteOutcome, ExecuteStep, VerifyStep } from './types.js';

export interface LiveOptions {
  plan: Plan;
  loaded: LoadedInventory;
  topology: Topology;
  env: NodeJS.ProcessEnv;
  /** collabsec's own known_hosts (accepted keys are appended, 0600); ~/.ssh/known_hosts is also read. */
  knownHostsFile: string;
  /** Folder for per-node transcripts; `transcriptRoot` is what journal paths are relative to. */
  transcriptDir: string;
  transcriptRoot: string;
  /** First contact with a node: asked before any authentication. */
  confirmHostKey: (host: string, fingerprint: string) => Promise<boolean>;
}

export interface LivePorts {
  executeStep: ExecuteStep;
  verifyStep: VerifyStep;
  close(): Promise<void>;
}

type Remote = Exclude<NonNullable<Action['platform']>, 'local'>;
const credentialKey: Record<Remote, 'vos' | 'ios' | 'mmp'> = { vos: 'vos', ios: 'ios', mmp: 'mmp' };

/** Checks every credential the plan's SSH targets need up front, before the wizard opens. */
type Credential = { username: string; password: string; enableSecret?: string };

function passwords(o: LiveOptions): Map<Remote, Credential> {
  const out = new Map<Remote, Credential>();
  const problems: string[] = [];
  for (const a of o.plan.steps.flatMap((s) => s.actions)) {
    const p = a.platform;
    if (a.host === undefined || p === undefined || p === 'local' || out.has(p)) continue;
    const cred = o.loaded.inventory.credentials[credentialKey[p]];
    const value = cred?.passwordEnv !== undefined ? o.env[cred.passwordEnv] : undefined;
    if (!cred) problems.push(`credentials.${credentialKey[p]} is missing in the inventory`);
    else if (value === undefined || value === '') problems.push(`set ${cred.passwordEnv ?? `credentials.${credentialKey[p]}.passwordEnv`} to the ${p} password`);
    else {
      // IOS: a login that lands in user EXEC escalates with the enable secret (default: the password).
      const enableEnv = 'enableSecretEnv' in cred ? cred.enableSecretEnv : undefined;
      const enable = enableEnv !== undefined ? o.env[enableEnv] : undefined;
      out.set(p, { username: cred.username, password: value, ...(enable ? { enableSecret: enable } : {}) });
    }
  }
  if (problems.length > 0) throw new UserError(`--live needs the device passwords: ${[...new Set(problems)].join('; ')}`, 'Passwords are read from the environment variables the inventory names; they are never stored.', ExitCode.usage);
  return out;
}

function summarise(r: ActionResult): ExecuteOutcome['outcome'] {
  return r.status === 'ok' ? 'ok' : r.status === 'failed' ? 'failed' : 'in-doubt';
}

export function livePorts(o: LiveOptions): LivePorts {
  const creds = passwords(o);
  const ports = new Map<string, number>();
  for (const t of Object.values(o.topology.groups).flat()) if (t.port !== undefined) ports.set(t.name, t.port);
  const actions = new Map(o.plan.steps.flatMap((s) => s.actions).map((a) => [a.target, a]));
  const resolveTarget = (node: string): LiveTarget => {
    const a = actions.get(node);
    const p = a?.platform;
    const c = p !== undefined && p !== 'local' ? creds.get(p) : undefined;
    if (!a?.host || !p || p === 'local' || !c) throw new UserError(`${node} is not an SSH target of this plan`);
    return { node, host: a.host, port: ports.get(node) ?? 22, platform: p, username: c.username, auth: { password: c.password, ...(c.enableSecret !== undefined ? { enableSecret: c.enableSecret } : {}) } };
  };
  // The transport names the address it reached; the operator also needs the node's name to know
  // whose fingerprint to compare. Connections are opened one at a time, so the last asked wins.
  let connecting = '';
  const connect = (node: string) => {
    connecting = node;
    return pool.get(node);
  };
  const pool = new SessionPool(resolveTarget, {
    knownHosts: knownHostsStore({ file: o.knownHostsFile, alsoRead: [path.join(homedir(), '.ssh', 'known_hosts')] }),
    confirmHostKey: (host, fp) => o.confirmHostKey(connecting ? `${connecting} at ${host}` : host, fp),
    transcriptDir: o.transcriptDir,
  });
  const transcript = (node: string): string => path.relative(o.transcriptRoot, path.join(o.transcriptDir, `${node}.log`));
  // Pasted files are named relative to the inventory, not to the operator's current folder.
  const readPaste = (entry: { paste?: string; label?: string; expect: string }): Promise<string> => {
    if (entry.paste === undefined) return Promise.reject(new Error(`no file for "${entry.label ?? entry.expect}"`));
    return readFile(path.resolve(o.loaded.dir, entry.paste), 'utf8');
  };

  const executeStep: ExecuteStep = async (_step, action, progress) => {
    let session;
    try {
      session = await connect(action.target);
    } catch (e) {
      // Nothing was sent: the connection never reached a prompt.
      if (e instanceof TransportError) return { outcome: 'failed', summary: `not connected: ${e.message}` };
      throw e;
    }
    const r = await executeAction(action, session, {
      readPaste,
      onCommandStart: (_node, i, line) => progress?.(`${i + 1}. ${line}…`),
      // A service restart can be silent for minutes: show that it is still being waited for.
      onWaiting: (_node, line, ms) => progress?.(`${line}… ${Math.round(ms / 1000)} s`),
    });
    await session.flushTranscript();
    const last = r.commands.at(-1);
    const detail = r.status === 'ok' ? `${r.commands.length} command(s) ok` : `${r.status}: "${last?.line ?? ''}" ${last?.error ?? last?.matchedFailureMarker ?? last?.question ?? last?.status ?? ''}`.trim();
    return { outcome: summarise(r), summary: detail, transcripts: [transcript(action.target)] };
  };

  const verifyStep: VerifyStep = async (step) => {
    const verify = step.checkpoint.verify;
    if (!verify) return { method: 'automatic', outcome: 'unknown', summary: 'no automatic verification' };
    const details: NonNullable<CheckpointResult['details']> = [];
    for (const target of [...new Set(step.actions.filter((a) => a.host !== undefined).map((a) => a.target))]) {
      try {
        const r = await runVerify(verify, await connect(target));
        details.push({ target, outcome: r.ok ? 'passed' : 'failed', text: r.details.join('; ') });
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        details.push({ target, outcome: 'unknown', text: e.message });
      }
    }
    const outcome = details.length === 0 ? 'unknown' : details.every((d) => d.outcome === 'passed') ? 'passed' : details.some((d) => d.outcome === 'failed') ? 'failed' : 'unknown';
    const summary = `${verify.command}: ${details.map((d) => `${d.target} ${d.outcome}${d.text ? ` (${d.text})` : ''}`).join('; ') || 'no SSH target'}`;
    return { method: 'automatic', outcome, summary, details };
  };

  return { executeStep, verifyStep, close: () => pool.closeAll() };
}
