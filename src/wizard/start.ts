// How a wizard run is wired at its start, for both modes: who answers an unknown SSH host key or
// HTTPS certificate, and what the operator's interrupt means while a live command runs. The
// command (commands/run.ts) only parses flags; launch.ts opens the session and picks the mode;
// these rules live here so a flag travels down into the wizard, never back up into the command.
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { LoadedPlan } from '../plan/load-plan.js';
import type { WizardController } from './controller.js';
import type { LivePorts } from './live.js';
import { EXPORT_PASSWORD_ENV, type Credential, type CredentialKey } from './credentials.js';
import { certificateRefused, hostKeyRefused } from './messages.js';
import { localWorkdir } from './workdir.js';

/** What the start reads of the process (the command's Io has these): a terminal to ask secrets on, the environment, the current folder. */
export interface StartIo {
  stdin: Readable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The live run's settings, as the command parsed them from its flags (files already resolved). */
export interface LiveSettings {
  parallel: number;
  healthTimeoutMs?: number | undefined;
  /** --paste NODE=FILE: the file a run-time paste entry pastes on NODE. */
  runtimePastes: Map<string, string>;
  /** --known-hosts (default .collabsec/known_hosts beside the inventory). */
  knownHostsFile?: string | undefined;
  /** --tls-pins (default .collabsec/tls_pins beside the inventory). */
  tlsPinsFile?: string | undefined;
}

/** First contact with a node's SSH host key or an AXL publisher's HTTPS certificate: trust it? */
export interface TrustPorts {
  hostKey: (host: string, fingerprint: string) => Promise<boolean>;
  certificate: (node: string, fingerprint: string, subject: string) => Promise<boolean>;
}

/** Plain mode: nobody can compare a fingerprint without a terminal, so an unknown one is refused (said on `say`), never trusted. */
export function refuseUnknown(say: (line: string) => void): TrustPorts {
  return {
    hostKey: (host, fp) => (say(`collabsec: ${hostKeyRefused(host, fp)}`), Promise.resolve(false)),
    certificate: (node, fp, subject) => (say(`collabsec: ${certificateRefused(node, fp, subject)}`), Promise.resolve(false)),
  };
}

/**
 * The TUI: asked on its host-key screen. The ports are built before the controller (they open the
 * transport it runs on), so it is looked up at the first contact, which only a running step makes.
 */
export function askUnknown(controller: () => WizardController): TrustPorts {
  return {
    hostKey: (host, fp) => controller().confirmHostKey(host, fp),
    certificate: (node, fp, subject) => controller().confirmHostKey(`${node} — tomcat certificate ${subject}`, fp),
  };
}

/** The ports a wizard run steps through, and what the operator's interrupt means, wired for its mode. */
export interface WizardWiring {
  /** Live SSH/AXL/TLS ports (with --live) and the certificate and local-step ports (both modes). */
  ports: Partial<Pick<LivePorts, 'executeStep' | 'runStep' | 'verifyStep'>> & Awaited<ReturnType<typeof localPorts>>;
  /** Whether the ports send to devices (a reopened live session probes before anything new runs). */
  live: boolean;
  /** Plain mode with --live: SIGINT while a command runs stops waiting (undefined otherwise). */
  onInterrupt?: (stop: () => void) => () => void;
  /** Where a run-time paste's file may be found: the current folder, then the session work folder. */
  runtimePasteDirs: string[];
  /** Closes the live connections (the session is the caller's). */
  close(): Promise<void>;
}

/**
 * Wires a wizard run: with `credentials` (--live) the live ports over the transport, with first
 * contact refused in plain mode (nobody to compare a fingerprint) or asked on the TUI's screen, and
 * SIGINT meaning "stop waiting" in plain mode; in both modes the certificate and local-step ports.
 */
export async function wireWizard(
  io: StartIo,
  lp: LoadedPlan,
  where: { dir: string; name: string; file: string },
  o: { plain: boolean; credentials: Map<CredentialKey, Credential> | undefined; live: LiveSettings; controller: () => WizardController },
): Promise<WizardWiring> {
  const trust = o.plain ? refuseUnknown((line) => void io.stderr.write(`${line}\n`)) : askUnknown(o.controller);
  const live = o.credentials !== undefined ? await openLive(io, lp, where, o.live, o.credentials, trust) : undefined;
  try {
    return {
      ports: { ...(live ? { executeStep: live.executeStep, runStep: live.runStep, verifyStep: live.verifyStep } : {}), ...(await localPorts(io, lp, where.file, live !== undefined, !o.plain)) },
      live: live !== undefined,
      ...(live !== undefined && o.plain ? { onInterrupt: sigintStops } : {}),
      runtimePasteDirs: [io.cwd, localWorkdir(where.file)],
      close: () => live?.close() ?? Promise.resolve(),
    };
  } catch (e) {
    await live?.close();
    throw e;
  }
}

/** Plain mode: SIGINT while a live command runs means "stop waiting" (not: kill collabsec). */
export function sigintStops(stop: () => void): () => void {
  const handler = (): void => stop();
  process.on('SIGINT', handler);
  return () => void process.off('SIGINT', handler);
}

/**
 * The plan as secretNeeds counts platforms (actions with an address): a target that is only
 * verified over SSH — a GUI step read back from its node's shell, like an Expressway zone step
 * (xConfiguration Zones) — gets its node's address and platform from the inventory, so that
 * platform's credential is asked for too even when no step types commands there.
 */
async function withVerifiedTargets(lp: LoadedPlan): Promise<LoadedPlan['plan']> {
  const { inventoryTargets, sshNode, verificationOf } = await import('./reach.js');
  const { nodes } = inventoryTargets(lp.topology);
  const steps = lp.plan.steps.map((s) => ({
    ...s,
    actions: s.actions.map((a) => {
      const n = a.host === undefined && verificationOf(s, a).length > 0 ? sshNode(nodes.get(a.target)) : undefined;
      return n ? { ...a, host: n.host, platform: n.platform } : a;
    }),
  }));
  return { ...lp.plan, steps };
}

/** Device secrets from the environment, or asked (masked) on a terminal; exit 4 without one. */
export async function liveCredentials(io: StartIo, lp: LoadedPlan) {
  const { secretNeeds, resolveCredentials } = await import('./credentials.js');
  const needs = secretNeeds(await withVerifiedTargets(lp), lp.loaded.inventory);
  const missing = needs.some((n) => n.env === undefined || io.env[n.env] === undefined || io.env[n.env] === '');
  let ask: ((message: string, optional: boolean) => Promise<string>) | undefined;
  if (missing && io.stdin.isTTY === true && io.stderr.isTTY === true) {
    const { askSecret } = await import('../prompts/secrets.js');
    ask = (message, optional) => askSecret({ input: io.stdin, output: io.stderr }, message, optional);
  }
  return resolveCredentials(needs, io.env, ask);
}

/** The SSH ports over the transport (loaded only with --live, so a rehearsal never loads ssh2). */
export async function openLive(
  io: StartIo,
  lp: LoadedPlan,
  where: { dir: string; name: string },
  run: LiveSettings,
  credentials: Map<CredentialKey, Credential>,
  trust: TrustPorts,
) {
  const [{ livePorts }, { inventoryTargets }, { loadRoleTable }, { controlCenterKey, cupiKey }] = await Promise.all([import('./live.js'), import('./reach.js'), import('../verify/cert/roles.js'), import('./credentials.js')]);
  const roles = await loadRoleTable();
  return livePorts({
    plan: lp.plan,
    credentials,
    ...inventoryTargets(lp.topology),
    pasteDir: lp.loaded.dir,
    runtimePastes: run.runtimePastes,
    parallel: run.parallel,
    ...(run.healthTimeoutMs !== undefined ? { healthTimeoutMs: run.healthTimeoutMs, healthIntervalMs: Math.min(5_000, Math.max(250, run.healthTimeoutMs / 10)) } : {}),
    knownHostsFile: run.knownHostsFile ?? join(where.dir, 'known_hosts'),
    transcriptDir: join(where.dir, 'transcripts', where.name),
    transcriptRoot: where.dir,
    confirmHostKey: trust.hostKey,
    axl: { pinsFile: run.tlsPinsFile ?? join(where.dir, 'tls_pins'), confirmCertificate: trust.certificate },
    controlcenter: { credential: controlCenterKey(lp.loaded.inventory) },
    cupi: { credential: cupiKey(lp.loaded.inventory) },
    tls: { inventory: lp.loaded },
    // The files local steps leave in `.collabsec/workdirs/<session>/` (as localPorts' work folder);
    // the PKCS#12 export password only from the environment, as for the local step itself.
    files: { inventory: lp.loaded, roles, workdir: join(where.dir, 'workdirs', where.name), ...(io.env[EXPORT_PASSWORD_ENV] ? { exportPassword: io.env[EXPORT_PASSWORD_ENV] } : {}) },
  });
}

/**
 * Certificate checkpoints (rehearsal and live: they only read the operator's files, relative to
 * the current folder or the session work folder) and, with --live only, local openssl steps run
 * in that work folder (`.collabsec/workdirs/<session>/`). A rehearsal runs nothing on this machine.
 * Before the first frame only the role table and which certificates a step asks for are loaded:
 * the certificate parser (@peculiar/x509) loads at the first check, execa only with --live.
 */
export async function localPorts(io: StartIo, lp: LoadedPlan, sessionFile: string, live: boolean, tui = false) {
  const [{ certificatePort, TUI_SUPPLY_CHAIN }, { loadRoleTable }] = await Promise.all([import('./certificate-targets.js'), import('../verify/cert/roles.js')]);
  const roles = await loadRoleTable();
  const workdir = localWorkdir(sessionFile);
  // Flags name files from the current folder; the TUI resolves what is typed against the
  // inventory's folder, which its certificate screen names (issue 25).
  const certificates = certificatePort({ inventory: lp.loaded, roles, baseDirs: [io.cwd, workdir], ...(tui ? { folder: lp.loaded.dir, supplyChain: TUI_SUPPLY_CHAIN } : {}) });
  if (!live) return { certificates };
  const { localPort } = await import('./local-steps.js');
  return { certificates, local: localPort({ plan: lp.plan, inventory: lp.loaded.inventory, roles, workdir }) };
}
