// The SSH ports of the wizard (--live only), over the transport's executor: one pooled session
// per node for the whole run, transcripts beside the session file, host keys checked against
// known_hosts with first contact confirmed by the operator. Loaded with import() by `run`, so a
// rehearsal never loads ssh2. Adapter: maps transport results onto the controller's ports.
import { homedir } from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { CERT_FILE_MAX_BYTES, readBounded } from '../io/bounded-read.js';
import type { Action, Plan, PlannedStep } from '../plan/types.js';
import type { CheckpointResult, NodeRun } from '../session/index.js';
import { TransportError } from '../transport/errors.js';
import { executeAction, preparePastes, runVerify, type ActionResult } from '../transport/executor.js';
import { PasteFileError } from '../transport/paste.js';
import { platformSpec, type ServiceFacts } from '../transport/platforms/index.js';
import { runActions, servicesGate, waitHealthy, type HealthResult, type NodeRunResult, type NodeStatus } from '../transport/rolling.js';
import { SessionPool, type LiveTarget, type NodeSession } from '../transport/session.js';
import { knownHostsStore } from '../transport/ssh/known-hosts.js';
import type { Credential, CredentialKey } from './credentials.js';
import { axlPort, type AxlPortOptions } from './live-axl.js';
import { apiPort } from './live-api.js';
import { controlCenterRunner } from './live-controlcenter.js';
import { cupiRunner } from './live-cupi.js';
import { stepMark } from './device-output.js';
import { checkLocalFiles, hasFileChecks, type LocalFilesOptions } from './local-files.js';
import { tlsPort, tlsTargets, type TlsPortOptions } from './live-tls.js';
import { apiActions, apiCheckTargets, axlActions, checkReach, firstNode, readBackTargets, readCommands, sshActions, sshNode, verificationOf, verifyTargets, type NodeAddress } from './reach.js';

import type { ExecuteOutcome, ExecuteStep, NodeOutcome, RunHooks, RunStep, StepRunOutcome, VerifyStep } from './types.js';

export interface LiveOptions {
  plan: Plan;
  /** Per platform (and the AXL user), already read from the environment or asked (see credentials.ts). */
  credentials: Map<CredentialKey, Credential>;
  /** Every inventory node by name: address, SSH port, platform (see inventoryTargets). */
  nodes: ReadonlyMap<string, NodeAddress>;
  /** Nodes that run first and alone in a multi-node step (the topology's runsFirst: the VOS publishers). */
  publishers: ReadonlySet<string>;
  /** Folder pasted files are relative to (the inventory's). */
  pasteDir: string;
  /** Per node, the file a run-time paste entry pastes (absolute path; --paste NODE=FILE). */
  runtimePastes?: ReadonlyMap<string, string>;
  /** Nodes run at once in a multi-node step; 1 (default) = rolling. */
  parallel?: number;
  /** Health gate budget and poll interval after each node (defaults: the transport's 10 min / 5 s). */
  healthTimeoutMs?: number;
  healthIntervalMs?: number;
  /**
   * After a node's CallManager/TFTP restart (review-2026 B.2): how long to wait for its registered
   * phones to come back (default 15 min), how often to read them (default 10 s), and the operator's
   * say when the wait runs out (more milliseconds, or undefined to stop the step there).
   */
  registrationTimeoutMs?: number;
  registrationIntervalMs?: number;
  extendRegistrationWait?: (node: string, seen: number | undefined, want: number) => Promise<number | undefined>;
  /** Unified CM cluster of each node (inventoryTargets): `--parallel` never restarts a whole cluster's CallManagers at once. */
  clusters?: ReadonlyMap<string, string>;
  /** collabsec's own known_hosts (accepted keys are appended, 0600); ~/.ssh/known_hosts is also read. */
  knownHostsFile: string;
  /** Folder for per-node transcripts; `transcriptRoot` is what journal paths are relative to. */
  transcriptDir: string;
  transcriptRoot: string;
  /** First contact with a node: asked before any authentication. */
  confirmHostKey: (host: string, fingerprint: string) => Promise<boolean>;
  /** AXL (Unified CM publishers): collabsec's TLS pins and the first-contact question for a tomcat certificate. */
  axl?: Omit<AxlPortOptions, 'credential'>;
  /** Control Center Services (S021, S029): its user (credentials.controlcenter or the AXL user) and the status poll's bounds. */
  controlcenter?: { credential: CredentialKey; pollCount?: number; pollIntervalMs?: number };
  /** Unity Connection CUPI (S042..S044, S125): its user (credentials.cupi or the VOS administrator). */
  cupi?: { credential: CredentialKey };
  /** TLS probes (issue 22): the inventory whose roots and names the presented chains are judged against. */
  tls?: TlsPortOptions;
  /** Checks of the files local steps leave in the session work folder (issue 22). */
  files?: LocalFilesOptions;
}

/** The service facts of a platform (restart lines, health gate, probes), or none for one without services. */
function servicesOf(platform: Action['platform']): ServiceFacts | undefined {
  return platform === undefined || platform === 'local' ? undefined : platformSpec(platform).services;
}

/** The service a line restarts on its platform, or undefined when it restarts none. */
function restartedService(facts: ServiceFacts | undefined, line: string): string | undefined {
  return facts?.restartLine.exec(line)?.[1]?.trim();
}

/** The services an action restarts, one per line, or undefined when it sends anything else. */
function restartedServices(a: Action): string[] | undefined {
  const facts = servicesOf(a.platform);
  const services = a.commands.map((l) => restartedService(facts, l));
  return services.length > 0 && services.every((x) => x !== undefined) ? (services) : undefined;
}

/** Start time per service ("-" while not STARTED), read-only; empty when the node has no such command. */
async function readStartTimes(s: NodeSession, services: readonly string[]): Promise<Record<string, string>> {
  const probe = s.spec.services?.startTimes;
  if (probe === undefined) return {};
  const out = await s.command(probe.command, 60_000);
  const times: Record<string, string> = {};
  for (const row of out.split(/\r?\n/)) {
    const m = probe.row.exec(row);
    if (m && services.includes(m[2]!)) times[m[2]!] = m[1]!;
  }
  return times;
}

/**
 * What a read-only probe says of an in-doubt node of a restart step: per line, restarted (its
 * service's start time differs from the one recorded with the intent, or it is restarting now)
 * or never restarted. Undefined when it cannot tell (no evidence was recorded for a service).
 */
function settleByStartTime(a: Action, record: NodeRun, now: Record<string, string>): { restarted: string[]; notRestarted: string[] } | undefined {
  const services = restartedServices(a);
  if (services === undefined || record.evidence === undefined) return undefined;
  const restarted: string[] = [];
  const notRestarted: string[] = [];
  for (const [i, line] of a.commands.entries()) {
    const svc = services[i]!;
    const before = record.evidence[svc];
    if (record.done?.includes(line) === true) restarted.push(line);
    else if (before === undefined || now[svc] === undefined) return undefined;
    else (before !== now[svc] || now[svc] === '-' ? restarted : notRestarted).push(line);
  }
  return { restarted, notRestarted };
}

/** The action without the lines already applied. */
function withoutLines(a: Action, done: readonly string[]): Action {
  const keep = a.exchanges.filter((e) => !done.includes(e.line));
  return { ...a, exchanges: keep, commands: keep.map((e) => e.line) };
}

export interface LivePorts {
  executeStep: ExecuteStep;
  runStep: RunStep;
  verifyStep: VerifyStep;
  close(): Promise<void>;
}

function summarise(r: ActionResult): ExecuteOutcome['outcome'] {
  return r.status === 'ok' ? 'ok' : r.status === 'failed' ? 'failed' : 'in-doubt';
}

/**
 * The pool, remembering each node's session so its transcript can be flushed without reconnecting,
 * and marking in a node's transcript where each step begins on it (the TUI's output pane shows a
 * step's part of it: readStepTranscript).
 */
class TrackingPool extends SessionPool {
  readonly seen = new Map<string, NodeSession>();
  /** The step being sent, and the nodes already marked for it. */
  #step: string | undefined;
  readonly #marked = new Set<string>();
  /** `again`: a new run of the step (its nodes are marked again); false: one more action of the same run. */
  stepBegins(stepId: string, again = true): void {
    if (!again && this.#step === stepId) return;
    this.#step = stepId;
    this.#marked.clear();
  }
  override async get(node: string): Promise<NodeSession> {
    const s = await super.get(node);
    this.seen.set(node, s);
    if (this.#step !== undefined && !this.#marked.has(node)) {
      this.#marked.add(node);
      s.shell.note(stepMark(this.#step));
    }
    return s;
  }
}

function nodeOutcome(s: NodeStatus): NodeOutcome['outcome'] {
  if (s === 'ok') return 'ok';
  if (s === 'not-started') return 'not-started';
  // A timeout, a drop or an unanswered question came after the line was sent: it may have applied.
  return s === 'in-doubt' || s === 'interrupted' || s === 'needs-operator' ? 'in-doubt' : 'failed';
}

export function livePorts(o: LiveOptions): LivePorts {
  const creds = o.credentials;
  // Before any connection opens: every node a step must reach has an address and an SSH platform.
  checkReach(o.plan, o.nodes);
  const unknown = [...(o.runtimePastes?.keys() ?? [])].filter((n) => !o.nodes.has(n));
  if (unknown.length > 0) throw new UserError(`--paste names ${unknown.join(', ')}, which the inventory does not have`, 'Use the node names the plan shows (e.g. US-CUBE1).');
  const resolveTarget = (node: string): LiveTarget => {
    const n = sshNode(o.nodes.get(node));
    const c = n ? creds.get(n.platform) : undefined;
    if (!n) throw new UserError(`${node} has no ip address or SSH platform in the inventory`);
    if (!c) throw new UserError(`no ${n.platform} credentials for ${node}: add credentials.${n.platform} to the inventory`);
    return { node, host: n.host, port: n.port, platform: n.platform, username: c.username, auth: { password: c.password, ...(c.enableSecret !== undefined ? { enableSecret: c.enableSecret } : {}), ...(c.enableSecretHint !== undefined ? { enableSecretHint: c.enableSecretHint } : {}) } };
  };
  // The transport names the address it reached; the operator also needs the node's name to know
  // whose fingerprint to compare. Connections are opened one at a time, so the last asked wins.
  let connecting = '';
  const connect = (node: string) => {
    connecting = node;
    return pool.get(node);
  };
  const pool = new TrackingPool(resolveTarget, {
    knownHosts: knownHostsStore({ file: o.knownHostsFile, alsoRead: [path.join(homedir(), '.ssh', 'known_hosts')] }),
    confirmHostKey: (host, fp) => o.confirmHostKey(connecting ? `${connecting} at ${host}` : host, fp),
    transcriptDir: o.transcriptDir,
    onNote: (node, text) => void notes.push(`${node}: ${text}`),
    // Device output as it arrives goes to the step being sent (RunHooks.output), if it listens.
    onOutput: (node, text) => output?.(node, text),
  });
  let output: ((node: string, text: string) => void) | undefined;
  // What a connection says without stopping (known_hosts lines skipped, legacy SSH algorithms
  // negotiated): told in the summary of the step that opened it, so the screen and the journal keep it.
  const notes: string[] = [];
  const withNotes = <R extends { summary?: string }>(r: R): R => (notes.length === 0 ? r : { ...r, summary: [...notes.splice(0), ...(r.summary ? [r.summary] : [])].join('; ') });
  const transcript = (node: string): string => path.relative(o.transcriptRoot, path.join(o.transcriptDir, `${node}.log`));
  // Pasted files are named relative to the inventory, not to the operator's current folder.
  // Read bounded (a regular file of at most CERT_FILE_MAX_BYTES); the executor parses and re-encodes it.
  const readPaste = (entry: { paste?: string; label?: string; expect: string }): Promise<Uint8Array> => {
    if (entry.paste === undefined) return Promise.reject(new Error(`no file for "${entry.label ?? entry.expect}"${o.runtimePastes !== undefined ? ' (name it with --paste NODE=FILE)' : ''}`));
    return readBounded(path.resolve(o.pasteDir, entry.paste), { maxBytes: CERT_FILE_MAX_BYTES });
  };
  // Files chosen at run time (the certificate the CA returned): the operator named one per node.
  const withRuntimeFiles = (a: Action): Action => {
    const file = o.runtimePastes?.get(a.target);
    if (file === undefined) return a;
    const exchanges = a.exchanges.map((e) => ({ ...e, dialogue: e.dialogue.map((d) => (d.pasteAtRuntime === true && d.paste === undefined ? { ...d, paste: file } : d)) }));
    return { ...a, exchanges };
  };

  const executeStep: ExecuteStep = async (step, planned, progress) => {
    // Every file this action pastes is read and checked before the connection opens.
    const action = withRuntimeFiles(planned);
    let prepared;
    try {
      prepared = await preparePastes(action, { readPaste });
    } catch (e) {
      if (e instanceof PasteFileError) return { outcome: 'failed', summary: `${e.message}; nothing was sent` };
      throw e;
    }
    let session;
    try {
      pool.stepBegins(step.id, false);
      session = await connect(action.target);
    } catch (e) {
      // Nothing was sent: the connection never reached a prompt.
      if (e instanceof TransportError) return { outcome: 'failed', summary: `not connected: ${e.message}` };
      throw e;
    }
    const r = await executeAction(
      action,
      session,
      {
        readPaste,
        onCommandStart: (_node, i, line) => progress?.(`${i + 1}. ${line}…`),
        // A service restart can be silent for minutes: show that it is still being waited for.
        onWaiting: (_node, line, ms) => progress?.(`${line}… ${Math.round(ms / 1000)} s`),
      },
      prepared,
    );
    await session.flushTranscript();
    const last = r.commands.at(-1);
    const detail = r.status === 'ok' ? `${r.commands.length} command(s) ok` : `${r.status}: "${last?.line ?? ''}" ${last?.error ?? last?.matchedFailureMarker ?? last?.question ?? last?.status ?? ''}`.trim();
    return { outcome: summarise(r), summary: detail, transcripts: [transcript(action.target)] };
  };

  // AXL steps (issue 21) go to the publisher's AXL interface; no step mixes them with SSH lines.
  const axl = o.axl !== undefined ? axlPort({ ...o.axl, credential: creds.get('axl') }) : undefined;

  // Other product APIs (Control Center Services) go through the same TLS pins and first-contact
  // question as AXL: on Unified CM the same tomcat serves both.
  const cc = o.controlcenter;
  const api =
    o.axl !== undefined
      ? apiPort({
          controlcenter: controlCenterRunner({
            pinsFile: o.axl.pinsFile,
            confirmCertificate: o.axl.confirmCertificate,
            credential: creds.get(cc?.credential ?? 'axl'),
            ...(o.axl.timeoutMs !== undefined ? { timeoutMs: o.axl.timeoutMs } : {}),
            ...(cc?.pollCount !== undefined ? { pollCount: cc.pollCount } : {}),
            ...(cc?.pollIntervalMs !== undefined ? { pollIntervalMs: cc.pollIntervalMs } : {}),
          }),
          cupi: cupiRunner({
            pinsFile: o.axl.pinsFile,
            confirmCertificate: o.axl.confirmCertificate,
            credential: creds.get(o.cupi?.credential ?? 'vos'),
            ...(o.axl.timeoutMs !== undefined ? { timeoutMs: o.axl.timeoutMs } : {}),
          }),
        })
      : undefined;

  const runStep: RunStep = async (step, hooks) => {
    if (apiActions(step).length > 0) {
      if (api === undefined) throw new UserError(`${step.id} sends product API requests (Control Center Services, CUPI), and this run has no HTTPS port (no TLS pins)`);
      return api.run(step, hooks);
    }
    if (axlActions(step).length > 0) {
      if (axl === undefined) throw new UserError(`${step.id} sends AXL requests, and this run has no AXL port`);
      return axl.run(step, hooks);
    }
    const { progress, signal, journal } = hooks;
    pool.stepBegins(step.id);
    output = hooks.output;
    try {
      return await runSsh(step, progress, signal, journal);
    } finally {
      output = undefined;
    }
  };

  const runSsh = async (step: PlannedStep, progress: RunHooks['progress'], signal: AbortSignal, journal: RunHooks['journal']): Promise<StepRunOutcome> => {
    const all = sshActions(step).map(withRuntimeFiles);
    const lines = new Map(all.map((a) => [a.target, `${a.target}: waiting for its turn`]));
    const show = (node: string, text: string, done = false): void => {
      const line = `${node}: ${text}`;
      lines.set(node, line);
      progress([...lines.values()], done, done ? line : undefined);
    };
    const first = firstNode(all, o.publishers);
    // Health gate (the platform's service facts; VOS: cli-facts §1.6): the services this step
    // restarts must report STARTED; a step that names none uses the transport's default (every
    // activated service STARTED). Each node waits only for the restarted services it runs (a
    // Unified CM node is not held for the IM and Presence XCP services the same step restarts elsewhere).
    const services = step.restarts;
    const healthGate = services.length > 0 ? (s: NodeSession) => servicesGate(s, services) : undefined;

    // A resumed run: nodes the journal has ok are not sent again; a node in doubt is settled by
    // its read-only probe (service start times against those recorded with its intent).
    const settled: NodeOutcome[] = [];
    const done = new Map<string, string[]>();
    let list = all;
    if (journal !== undefined) {
      const known = journal.nodes();
      list = [];
      for (const a of all) {
        const k = known.get(a.target);
        if (k === undefined) {
          list.push(a);
          continue;
        }
        const prior = k.record.done ?? [];
        if (k.state === 'ok') {
          settled.push({ node: a.target, outcome: 'ok', summary: `${a.target}: ok — recorded before the interruption; not sent again` });
          show(a.target, 'ok — recorded before the interruption; not sent again', true);
          continue;
        }
        if (k.state === 'pending') {
          done.set(a.target, prior);
          list.push(withoutLines(a, prior));
          continue;
        }
        // In doubt (or failed in this run): only the probe decides; nothing is re-sent blindly.
        show(a.target, `in doubt: probing (${servicesOf(a.platform)?.startTimes.command ?? 'read-only probe'}, read-only)…`);
        let verdict: ReturnType<typeof settleByStartTime>;
        let session: NodeSession | undefined;
        try {
          connecting = a.target;
          session = await pool.get(a.target);
          const svc = restartedServices(a);
          verdict = svc === undefined ? undefined : settleByStartTime(a, k.record, await readStartTimes(session, svc));
        } catch (e) {
          if (!(e instanceof TransportError)) throw e;
          verdict = undefined;
        }
        if (verdict === undefined) {
          const why = `${a.target}: in doubt, and the probe cannot tell whether it was applied; nothing was sent — check the node and decide`;
          show(a.target, 'in doubt — the probe cannot tell; nothing was sent', true);
          const rest = all.filter((x) => x !== a && !settled.some((n) => n.node === x.target)).map((x) => ({ node: x.target, outcome: 'not-started' as const, summary: `${x.target}: not-started` }));
          return { outcome: 'in-doubt', summary: [...settled.map((n) => n.summary), why].join('; '), nodes: [...settled, { node: a.target, outcome: 'in-doubt', summary: why }, ...rest], transcripts: [] };
        }
        const said = `probe: ${verdict.restarted.length > 0 ? `restarted ${verdict.restarted.map((l) => `"${l}"`).join(', ')}` : 'nothing restarted'}${verdict.notRestarted.length > 0 ? `; never restarted ${verdict.notRestarted.map((l) => `"${l}"`).join(', ')}` : ''}`;
        if (verdict.notRestarted.length === 0) {
          // Every line took effect: the node only has to be healthy again (its restart may still run).
          const h: HealthResult = healthGate !== undefined && session !== undefined ? await waitHealthy(session, healthGate, o.healthTimeoutMs ?? 600_000, o.healthIntervalMs ?? 5_000) : { ok: true, details: [] };
          await journal.outcome(a.target, { outcome: h.ok ? 'ok' : 'failed', health: h, summary: `${said} (settled on resume, not sent again)` });
          const text = h.ok ? `ok — ${said}; not sent again` : `unhealthy — ${said}: ${h.details.join('; ')}`;
          settled.push({ node: a.target, outcome: h.ok ? 'ok' : 'failed', summary: `${a.target}: ${text}` });
          show(a.target, text, true);
          if (!h.ok) {
            const rest = all.filter((x) => !settled.some((n) => n.node === x.target)).map((x) => ({ node: x.target, outcome: 'not-started' as const, summary: `${x.target}: not-started` }));
            return { outcome: 'failed', summary: settled.map((n) => n.summary).join('; '), nodes: [...settled, ...rest], transcripts: [] };
          }
          continue;
        }
        // Some or none took effect: only the lines never applied are sent (recorded as done).
        await journal.outcome(a.target, { outcome: 'not-run', summary: said });
        show(a.target, `${said}: sending only what never ran`, true);
        done.set(a.target, verdict.restarted);
        list.push(withoutLines(a, verdict.restarted));
      }
    }
    const intended = new Set<string>();
    const sum =
      list.length === 0
        ? { ok: true, nodes: [] as NodeRunResult[], lines: [] }
        : await runActions(
            list,
            pool,
            {
              parallel: o.parallel ?? 1,
              ...(first !== undefined ? { first } : {}),
              ...(healthGate !== undefined ? { healthGate } : {}),
              ...(o.healthTimeoutMs !== undefined ? { healthTimeoutMs: o.healthTimeoutMs } : {}),
              ...(o.healthIntervalMs !== undefined ? { healthIntervalMs: o.healthIntervalMs } : {}),
              // review-2026 B.2: after a restart that drops phones (VOS: CallManager, TFTP) the
              // node's phones must be back (its read-only count) before the next node restarts; and
              // whatever --parallel says, one node per cluster keeps such a service running.
              registrations: {
                applies: (a) => {
                  const facts = servicesOf(a.platform);
                  return a.commands.some((l) => facts?.phones.services.includes(restartedService(facts, l) ?? '') === true);
                },
                count: async (s) => {
                  const phones = s.spec.services?.phones;
                  return phones === undefined ? undefined : phones.count(await s.command(phones.command, 60_000));
                },
                timeoutMs: o.registrationTimeoutMs ?? 900_000,
                intervalMs: o.registrationIntervalMs ?? 10_000,
                ...(o.extendRegistrationWait !== undefined ? { extend: o.extendRegistrationWait } : {}),
              },
              neverAllAtOnce: (a) => {
                const facts = servicesOf(a.platform);
                const svc = a.commands.map((l) => restartedService(facts, l)).find((x) => x !== undefined && facts?.oneNodePerCluster.includes(x) === true);
                return svc !== undefined ? `${svc}:${o.clusters?.get(a.target) ?? ''}` : undefined;
              },
              onNodeStart: (node) => {
                connecting = node;
                show(node, 'connecting…');
              },
              // Intent before the node's first line: what a resume compares (its services' start times).
              beforeSend: async (node, session) => {
                if (journal === undefined) return;
                const a = list.find((x) => x.target === node)!;
                const svc = restartedServices(a);
                const evidence = svc !== undefined && session.spec.services !== undefined ? await readStartTimes(session, svc) : undefined;
                await journal.intent(node, { ...(evidence !== undefined ? { evidence } : {}), done: done.get(node) ?? [], lines: a.commands });
                intended.add(node);
              },
              onNodeEnd: async (r) => {
                if (journal !== undefined && intended.has(r.node)) {
                  const out = nodeOutcome(r.status);
                  await journal.outcome(r.node, {
                    outcome: out === 'not-started' ? 'not-run' : out,
                    ...(r.health !== undefined ? { health: { ok: r.status !== 'unhealthy', details: r.health } } : {}),
                    summary: nodeLine(r),
                  });
                }
                show(r.node, nodeLine(r), true);
              },
            },
            {
              readPaste,
              signal,
              saveConfig: list.some((a) => a.saveConfig === true),
              onCommandStart: (node, i, line) => show(node, `${i + 1}. ${line}…`),
              // A service restart can be silent for minutes: show that it is still being waited for.
              onWaiting: (node, line, ms) => show(node, `${line}… ${Math.round(ms / 1000)} s${signal.aborted ? '' : ' (Ctrl-C: stop waiting)'}`),
            },
          );
    await Promise.all(all.map((a) => pool.seen.get(a.target)?.flushTranscript() ?? Promise.resolve()));
    const nodes: NodeOutcome[] = [...settled, ...sum.nodes.map((n) => ({ node: n.node, outcome: nodeOutcome(n.status), summary: `${n.node}: ${nodeLine(n)}` }))];
    const ok = sum.ok && nodes.every((n) => n.outcome === 'ok');
    const outcome = ok ? 'ok' : nodes.some((n) => n.outcome === 'in-doubt') ? 'in-doubt' : 'failed';
    const stopped = signal.aborted ? 'stopped waiting by the operator; nothing is retried. ' : '';
    return {
      outcome,
      summary: `${stopped}${nodes.map((n) => n.summary).join('; ')}`,
      nodes,
      transcripts: all.filter((a) => pool.seen.has(a.target)).map((a) => transcript(a.target)),
    };
  };

  // TLS probes (issue 22) run after the step's SSH or AXL check, and both must pass.
  const tls = o.tls !== undefined ? tlsPort(o.tls) : undefined;
  // File checks (issue 22) read the session work folder; like the probes, every check must pass.
  const verifyStep: VerifyStep = async (step, extra) => {
    const others = [
      // The API read (a service Started) and the SSH check (`utils service list`) must both pass.
      ...(apiCheckTargets(step).length > 0 && api !== undefined ? [() => api.verify(step)] : []),
      ...(tlsTargets(step).length > 0 && tls !== undefined ? [() => tls.verify(step)] : []),
      ...(hasFileChecks(step) && o.files !== undefined ? [() => checkLocalFiles(step, o.files!, extra?.password)] : []),
    ];
    let result = others.length > 0 && verifyTargets(step).length === 0 && readBackTargets(step).length === 0 ? undefined : await verifyOverSshOrAxl(step);
    for (const check of others) {
      const r = await check();
      result = result === undefined ? r : combineChecks(result, r);
    }
    return result!;
  };

  const verifyOverSshOrAxl: VerifyStep = async (step) => {
    if (verifyTargets(step).length === 0 && readBackTargets(step).length > 0 && axl !== undefined) return axl.verify(step);
    const targets = verifyTargets(step);
    if (targets.length === 0) return { method: 'automatic', outcome: 'unknown', summary: 'no automatic verification' };
    const details: NonNullable<CheckpointResult['details']> = [];
    const readings: NonNullable<CheckpointResult['readings']> = [];
    for (const a of targets) {
      const target = a.target;
      const reads = verificationOf(step, a);
      try {
        const session = await connect(target);
        // Every read of the target, in order, on one session; the target passes when all pass.
        const results = [];
        for (const v of reads) {
          const r = await runVerify(v, session);
          results.push(r);
          if (step.baseline !== undefined) readings.push({ baseline: step.baseline, target, command: r.command, output: keptOutput(r.output) });
        }
        const failed = results.filter((r) => !r.ok);
        const text =
          results.length === 1
            ? results[0]!.details.join('; ')
            : [...failed.map((r) => `${r.command}: ${r.details.join('; ')}`), `${results.length - failed.length} of ${results.length} reads passed`].join('; ');
        details.push({ target, outcome: failed.length === 0 ? 'passed' : 'failed', text });
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        details.push({ target, outcome: 'unknown', text: e.message });
      }
    }
    const outcome = details.length === 0 ? 'unknown' : details.every((d) => d.outcome === 'passed') ? 'passed' : details.some((d) => d.outcome === 'failed') ? 'failed' : 'unknown';
    const commands = readCommands(step, targets.flatMap((a) => verificationOf(step, a))).join(' / ');
    const summary = `${commands}: ${details.map((d) => `${d.target} ${d.outcome}${d.text ? ` (${d.text})` : ''}`).join('; ')}`;
    return { method: 'automatic', outcome, summary, details, ...(readings.length > 0 ? { readings } : {}) };
  };

  return {
    executeStep: async (...a: Parameters<ExecuteStep>) => withNotes(await executeStep(...a)),
    runStep: async (...a: Parameters<RunStep>) => withNotes(await runStep(...a)),
    verifyStep: async (...a: Parameters<VerifyStep>) => withNotes(await verifyStep(...a)),
    close: () => {
      axl?.close();
      api?.close();
      return pool.closeAll();
    },
  };
}

/** A baseline read is kept whole up to this size: a session file must stay small enough to read and hash. */
const KEPT_OUTPUT_MAX = 64 * 1024;

function keptOutput(output: string): string {
  return output.length <= KEPT_OUTPUT_MAX ? output : `${output.slice(0, KEPT_OUTPUT_MAX)}\n… (cut: ${output.length} characters read, the first ${KEPT_OUTPUT_MAX} kept)`;
}

/** Two machine checks of one checkpoint: passed only if both passed, failed if either failed. */
function combineChecks(a: CheckpointResult, b: CheckpointResult): CheckpointResult {
  const outcome = a.outcome === 'passed' && b.outcome === 'passed' ? 'passed' : a.outcome === 'failed' || b.outcome === 'failed' ? 'failed' : 'unknown';
  const readings = [...(a.readings ?? []), ...(b.readings ?? [])];
  return { method: 'automatic', outcome, summary: [a.summary, b.summary].filter((x) => x !== undefined).join('; '), details: [...(a.details ?? []), ...(b.details ?? [])], ...(readings.length > 0 ? { readings } : {}) };
}

/** "ok — 2 command(s) ok (12.3 s)": a node's result without its name, for the progress list. */
function nodeLine(r: NodeRunResult): string {
  const t = r.elapsedMs > 0 ? ` (${(r.elapsedMs / 1000).toFixed(1)} s)` : '';
  if (r.status === 'ok') return `ok — ${r.result?.commands.length ?? 0} command(s) ok${t}`;
  // Nothing was sent: the connection never reached a prompt.
  if (r.status === 'connect-failed') return `not connected — ${r.error ?? 'connection failed'}`;
  return `${r.status}${t}${r.error !== undefined ? ` — ${r.error}` : ''}`;
}
