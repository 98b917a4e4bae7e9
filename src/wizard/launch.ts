// A wizard run from the moment its flags are parsed: secrets asked, the session opened (locked,
// or joined as one operator of a team), ports wired (start.ts), then the plain mode or the TUI,
// and the session closed whatever happens. The command (commands/run.ts) parses flags into
// WizardRun and calls this; nothing here reads a flag.
import type { Writable } from 'node:stream';
import { ExitCode } from '../errors.js';
import type { LoadedPlan } from '../plan/load-plan.js';
import { openSession, type SessionStore } from '../session/index.js';
import type { CertificateFiles } from './certificate-checkpoint.js';
import { WizardController } from './controller.js';
import { EXPORT_PASSWORD_ENV } from './credentials.js';
import { runPlain } from './plain.js';
import { liveCredentials, wireWizard, type LiveSettings, type StartIo, type WizardWiring } from './start.js';

/** Decisions on single steps, from flags (plain mode). */
export interface StepDecisions {
  recheck?: string[];
  acceptVerdict?: string[];
  override?: Map<string, string>;
  resend?: string[];
  reopen?: Map<string, string>;
  backedOut?: Map<string, string>;
}

/** Everything a run needs, as the command parsed it (paths resolved, values validated). */
export interface WizardRun {
  plan: LoadedPlan;
  inventoryPath: string;
  /** The session file's folder and name (local files stay beside the inventory whatever keeps the session). */
  where: { dir: string; name: string; file: string };
  /** The session in a database, joined as one operator of a team; undefined: the file journal. */
  store: SessionStore | undefined;
  live: boolean;
  plain: boolean;
  /** The live run's settings (files chosen at run time, known_hosts, TLS pins, parallel, health timeout). */
  settings: LiveSettings;
  /** Plain mode: what to act on and the decisions flags give (the TUI asks instead). */
  steps: string[] | undefined;
  decisions: StepDecisions | undefined;
  yes: boolean;
  checkpointPassed: boolean;
  byHand: boolean;
  acceptDrift: boolean;
  certFiles: Map<string, CertificateFiles>;
  note: string | undefined;
  /** Colour allowed on this terminal (NO_COLOR, TERM=dumb): the TUI follows it. */
  colour: boolean;
  /** The command that resumes this session, printed when the TUI quits. */
  resumeHint: string;
}

/** What a run reads and writes of the process: the start's terminal and environment, and stdout for the TUI. */
export interface LaunchIo extends StartIo {
  stdout: Writable;
}

export async function launchWizard(io: LaunchIo, r: WizardRun): Promise<number> {
  const lp = r.plan;
  // Secrets first: asked (masked) before the session is locked and before ink mounts.
  const credentials = r.live ? await liveCredentials(io, lp) : undefined;
  // A session in the database is joined as one operator of a team: each step claims its nodes
  // (issue 24); a file session keeps its session-wide lock.
  const opening = openSession({ plan: lp.plan, inventoryPath: r.inventoryPath, dir: r.where.dir, name: r.where.name, mode: r.live ? 'live' : 'rehearsal', ...(r.store ? { store: r.store, team: true } : {}) });
  // The TUI's modules (ink, react, yoga) load while the session file is read, locked, written
  // and fsynced: their compiling fills those waits on the disk instead of following them (issue
  // 25: the first frame). A session that cannot be opened ends the run with its own error.
  const ui = r.plain ? undefined : import('../ui/render.js');
  ui?.catch(() => undefined);
  const session = await opening;
  let controller: WizardController | undefined;
  let wired: WizardWiring | undefined;
  try {
    wired = await wireWizard(io, lp, r.where, { plain: r.plain, credentials, live: r.settings, controller: () => controller! });
    const { ports } = wired;
    if (r.plain)
      return await runPlain({ session, out: io.stderr, steps: r.steps, yes: r.yes, checkpointPassed: r.checkpointPassed, byHand: r.byHand, acceptDrift: r.acceptDrift, certFiles: r.certFiles, exportPassword: io.env[EXPORT_PASSWORD_ENV], note: r.note, ...r.decisions, ...ports, onInterrupt: wired.onInterrupt });
    const { renderWizard } = await (ui ?? import('../ui/render.js'));
    controller = new WizardController(session, { ...ports, runtimePastes: r.settings.runtimePastes, runtimePasteDirs: wired.runtimePasteDirs });
    const c = controller;
    const rendered = renderWizard(c, io, { label: r.live ? 'LIVE (SSH)' : 'rehearsal (nothing is sent)', live: r.live, colour: r.colour });
    // A reopened live session probes before anything new can run (the screen shows it happening).
    if (wired.live) await c.probeOnResume();
    await rendered;
    const p = session.progress();
    io.stderr.write(`Session ${session.name}: ${p.done}/${p.total} done. Continue with: ${r.resumeHint}\n`);
    // The app also ends on Ctrl-C (ink's exitOnCtrlC); only "q" is a normal quit.
    return controller.getView().mode.kind === 'quit' ? ExitCode.ok : ExitCode.interrupted;
  } finally {
    await wired?.close();
    await session.close();
  }
}
