// `collabsec run`: the guided rollout. The mode is decided once, here at the edge: a TTY gets
// the ink wizard (loaded with import() so `plan` never loads ink or react), anything else gets
// the plain mode, which takes decisions only from flags and never waits for input.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { normalizeFilters } from '../plan/filters.js';
import { loadPlan, type LoadedPlan } from '../plan/load-plan.js';
import { resolveSession } from '../session/index.js';
import type { CertificateFiles } from '../wizard/certificate-checkpoint.js';
import { launchWizard, type StepDecisions } from '../wizard/launch.js';
import { runPlain } from '../wizard/plain.js';
import { peekSession } from '../wizard/readonly-session.js';
import { backendOption, openBackend, storedSession } from './backend.js';
import { resumeCommand, type ResumeWhere } from './resume-hint.js';
import { useColor, type Command, type Io } from './types.js';

export const wizardOptions = {
  session: { type: 'string' },
  live: { type: 'boolean', default: false },
  steps: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'checkpoint-passed': { type: 'boolean', default: false },
  'by-hand': { type: 'boolean', default: false },
  'accept-drift': { type: 'boolean', default: false },
  recheck: { type: 'string' },
  'accept-verdict': { type: 'string' },
  override: { type: 'string', multiple: true },
  resend: { type: 'string' },
  reopen: { type: 'string', multiple: true },
  'backed-out': { type: 'string', multiple: true },
  paste: { type: 'string', multiple: true },
  cert: { type: 'string', multiple: true },
  csr: { type: 'string', multiple: true },
  note: { type: 'string' },
  plain: { type: 'boolean', default: false },
  'known-hosts': { type: 'string' },
  'tls-pins': { type: 'string' },
  parallel: { type: 'string' },
  'health-timeout': { type: 'string' },
  ...backendOption,
} as const;

export interface WizardFlags {
  session?: string;
  live: boolean;
  steps?: string;
  yes: boolean;
  'checkpoint-passed': boolean;
  'by-hand': boolean;
  'accept-drift': boolean;
  recheck?: string;
  'accept-verdict'?: string;
  override?: string[];
  resend?: string;
  reopen?: string[];
  'backed-out'?: string[];
  paste?: string[];
  cert?: string[];
  csr?: string[];
  note?: string;
  plain: boolean;
  'known-hosts'?: string;
  'tls-pins'?: string;
  parallel?: string;
  'health-timeout'?: string;
  backend?: string;
}

const usage = `Usage: collabsec run --inventory FILE [options]

Walks through the rollout step by step, recording every decision in a session file
(.collabsec/<name>.json beside the inventory). Without --live nothing is sent to any device
(rehearsal): you type the commands shown, and the wizard records and checks.

Options:
  -i, --inventory FILE   the deployment inventory (YAML)
  --session NAME         session name or path to a session .json (default: the inventory's name)
  --backend URL          keep the session in PostgreSQL (postgres://user@host/db; also
                         COLLABSEC_BACKEND; password from PGPASSWORD or asked)
  --live                 run CLI steps over SSH; passwords come from the environment variables
                         the inventory names (credentials.*.passwordEnv), or are asked (masked)
                         on a terminal when unset. A step on several nodes is rolling: the
                         publisher first, then one node at a time once its services are STARTED;
                         Ctrl-C while a command runs stops waiting (the step is recorded in doubt)
  --parallel N           with --live: run a multi-node step on up to N nodes at once
                         (maintenance windows; the publisher still goes first)
  --health-timeout SEC   with --live: how long a node may take after a restart before its
                         services must report STARTED (default 600; the next node waits)
  --known-hosts FILE     collabsec's known_hosts (default .collabsec/known_hosts beside the
                         inventory; ~/.ssh/known_hosts is also read)
  --tls-pins FILE        pinned HTTPS certificates of the API endpoints (AXL and Control
                         Center Services on Unified CM, CUPI on Unity Connection) (default
                         .collabsec/tls_pins beside the inventory); first contact is asked,
                         a changed certificate stops the step
  --plain                plain line output even on a terminal (implied without a TTY or in CI)

Without a terminal (decisions come only from these flags):
  --steps ID,...         steps to act on: ids in any case (S022, s022), ranges in plan order
                         (S022-S024) or slugs; without it, only list
  --yes                  confirm disruptive steps and accept a changed inventory/catalogue
  --checkpoint-passed    you did and checked the steps yourself: record their checkpoints passed
  --by-hand              you did the steps yourself (e.g. by their GUI path): nothing is sent;
                         their checkpoints still run (machine checks with --live)
  --accept-drift         go on although a verified step the selected one builds on no longer
                         passes its check (with --live, re-checked before each step; noted)
  A step in doubt (a line was sent, its result unknown) is never re-sent without your choice;
  named with --steps it is re-checked. Its other decisions (ids as for --steps):
  --recheck ID,...       re-check steps in doubt with their read-only probe (--live; else
                         --checkpoint-passed answers for them); nothing is sent
  --accept-verdict ID,...
                         accept the probe's verdict on steps in doubt: recorded failed, they
                         may run again
  --override ID=REASON   accept a step in doubt as it is, with the reason (recorded). Repeat
  --resend ID,...        send steps in doubt again (your explicit choice, recorded; a
                         disruptive one also needs --yes)
  --reopen ID=REASON     reopen a verified, skipped or overridden step (reason recorded); it may
                         run again. Repeat
  --backed-out ID=REASON
                         a disruptive step's back-out (shown by \`collabsec plan\`) was carried
                         out: recorded backed out; it may run again. Repeat
  --paste NODE=FILE      with --live: the file a step pastes on NODE that is chosen at run time
                         (the certificate the CA returned); parsed, checked and re-encoded
                         before anything is sent. Repeat per node
  --cert KEY=FILE        the certificate the CA returned, for a certificate checkpoint (KEY as
                         the step names it, e.g. ios/router@US-CUBE1); checked like
                         \`collabsec cert check\`. Repeat per certificate
  --csr KEY=FILE         the CSR that certificate answers (its public key must match)
  --note TEXT            add a note to each step acted on

Environment (no terminal): COLLABSEC_EXPORT_PASSWORD is the PKCS#12 export password of a local
openssl step; device passwords come from the variables the inventory names.

Examples:
  collabsec run --inventory site.yaml                      rehearse in the wizard (nothing is sent)
  collabsec run --inventory site.yaml --live               run CLI steps over SSH, verify by machine
  collabsec run --inventory site.yaml --live --plain --steps S069 \\
      --paste US-CUBE1=US-CUBE1.pem --yes                  import the CA-signed router certificate
  collabsec run --inventory site.yaml --plain --steps S068 \\
      --cert ios/router@US-CUBE1=US-CUBE1.pem --csr ios/router@US-CUBE1=US-CUBE1.csr
  collabsec resume --inventory site.yaml --live --plain --recheck S022
                                                           probe a step in doubt (read-only)
  collabsec run --inventory site.yaml --live --plain --accept-verdict S022
                                                           its probe said not applied: failed
  collabsec run --inventory site.yaml --plain --override "S022=checked by hand on the GUI"
  collabsec run --inventory site.yaml --live --plain --resend S022 --yes
                                                           send a step in doubt again
  collabsec run --inventory site.yaml --plain --reopen "S010=wrong CA chain uploaded"
  collabsec run --inventory site.yaml --plain --backed-out "S022=mixed mode disabled again"

Exit codes: 0 done, 2 usage, 3 invalid inventory, 4 a step needs a decision or failed,
5 session locked or damaged.`;

/** Whether ink can run: a TTY on both ends and no CI (ink itself stops redrawing in CI). */
export function interactive(io: Io, plain: boolean): boolean {
  const ci = ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => io.env[k] !== undefined && io.env[k] !== '0' && io.env[k] !== 'false');
  return !plain && !ci && io.stdin.isTTY === true && io.stdout.isTTY === true;
}

function parseSteps(spec: string | undefined, lp: LoadedPlan, flag = '--steps'): string[] | undefined {
  if (spec === undefined) return undefined;
  const wanted = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const hint = 'Use ids such as S022, ranges such as S022-S024 or slugs such as cucm-mixed-mode-enable (see `collabsec plan`).';
  if (wanted.length === 0) throw new UserError(`${flag} is empty`, hint, ExitCode.usage);
  // The same spelling rules as `plan --step` (any case, ranges, slugs; unknown names suggested).
  normalizeFilters(lp.catalogue, { steps: wanted });
  const planned = new Set(lp.plan.steps.map((s) => s.id));
  const ids: string[] = [];
  const problems: string[] = [];
  for (const w of wanted) {
    // A range may span steps this inventory leaves out; a step named alone must be in the plan.
    const inPlan = (normalizeFilters(lp.catalogue, { steps: [w] }).steps ?? []).filter((id) => planned.has(id));
    if (inPlan.length === 0) problems.push(`step "${w}" is not in this inventory's plan (its feature is off)`);
    ids.push(...inPlan);
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), hint, ExitCode.usage);
  return [...new Set(ids)];
}

/** The decisions on steps in doubt, reopen and back-out, from their flags (ids spelled as for --steps). */
function parseDecisions(flags: WizardFlags, lp: LoadedPlan): StepDecisions | undefined {
  const ids = (flag: string, v: string | undefined) => (v === undefined ? undefined : parseSteps(v, lp, flag));
  const reasons = (flag: string, vs: string[] | undefined) => {
    if (vs === undefined) return undefined;
    const out = new Map<string, string>();
    for (const [id, reason] of keyedFiles(vs, flag, 'ID=REASON')) for (const one of parseSteps(id, lp, flag)!) out.set(one, reason);
    return out;
  };
  const d: StepDecisions = {
    recheck: ids('--recheck', flags.recheck),
    acceptVerdict: ids('--accept-verdict', flags['accept-verdict']),
    override: reasons('--override', flags.override),
    resend: ids('--resend', flags.resend),
    reopen: reasons('--reopen', flags.reopen),
    backedOut: reasons('--backed-out', flags['backed-out']),
  };
  const named: [string, Iterable<string> | undefined][] = [
    ['--recheck', d.recheck],
    ['--accept-verdict', d.acceptVerdict],
    ['--override', d.override?.keys()],
    ['--resend', d.resend],
    ['--reopen', d.reopen?.keys()],
    ['--backed-out', d.backedOut?.keys()],
  ];
  if (named.every(([, v]) => v === undefined)) return undefined;
  // One decision per step: two would contradict each other (or one would silently win).
  const seen = new Map<string, string>();
  for (const [flag, v] of named)
    for (const id of v ?? []) {
      const before = seen.get(id);
      if (before !== undefined) throw new UserError(`${id} is named by ${before} and ${flag}`, 'Take one decision per step.', ExitCode.usage);
      seen.set(id, flag);
    }
  return d;
}

/** Shared by `run` and `resume`: open (and lock) the session, then the TUI or the plain mode. */
export async function startWizard(io: Io, inventory: string, flags: WizardFlags): Promise<number> {
  const inventoryPath = resolve(io.cwd, inventory);
  const lp = loadPlan(inventoryPath);
  const decisions = parseDecisions(flags, lp);
  // A decision acts on its steps: the run is not a listing then.
  const steps = parseSteps(flags.steps, lp) ?? (decisions !== undefined ? [] : undefined);
  const parallel = parseParallel(flags.parallel, flags.live);
  const healthTimeoutMs = parseHealthTimeout(flags['health-timeout'], flags.live);
  // Local files (known_hosts, transcripts, work folders) stay beside the inventory whatever keeps the session.
  const where = resolveSession({ inventoryPath, session: flags.session, cwd: io.cwd });
  const plain = !interactive(io, flags.plain);
  // Files chosen at run time, per node: from --paste in plain mode; the wizard asks and fills it.
  const runtimePastes = keyedFiles(flags.paste, '--paste', 'NODE=FILE', io.cwd);
  const certFiles = certificateFiles(flags);
  // Refused before any question, login or lock: on a terminal the wizard asks these itself.
  if (!plain && (steps !== undefined || flags.yes || flags['checkpoint-passed'] || flags['by-hand'] || flags['accept-drift'] || flags.paste !== undefined || flags.cert !== undefined || flags.csr !== undefined || flags.note !== undefined))
    throw new UserError('--steps, --yes, --checkpoint-passed, --by-hand, --accept-drift, --recheck, --accept-verdict, --override, --resend, --reopen, --backed-out, --paste, --cert, --csr and --note are for runs without a terminal', 'On a terminal the wizard asks; add --plain to decide with flags.', ExitCode.usage);
  // A database that is down or refuses us stops everything here (exit 5), before any question.
  const backend = await openBackend(flags.backend, io);
  try {
    // Listing only: no lock, no file created (a pipe or CI job looking at progress changes nothing).
    // On a database the session is opened as usual (a read-only view of it is issue 24's slice 3).
    if (plain && steps === undefined && !backend)
      return await runPlain({ session: await peekSession(where.file, where.name, lp.plan, inventoryPath), out: io.stderr, yes: false, checkpointPassed: false });
    const store = backend ? await storedSession(backend, { session: flags.session, inventoryPath }) : undefined;
    const resume: ResumeWhere = backend && store ? { name: store.name, backend: { url: backend.location, fromEnv: flags.backend === undefined } } : { name: where.name, file: where.file };
    const settings = { parallel, healthTimeoutMs, runtimePastes, knownHostsFile: flagPath(io, flags['known-hosts']), tlsPinsFile: flagPath(io, flags['tls-pins']) };
    return await launchWizard(io, { plan: lp, inventoryPath, where, store, live: flags.live, plain, settings, steps, decisions, yes: flags.yes, checkpointPassed: flags['checkpoint-passed'], byHand: flags['by-hand'], acceptDrift: flags['accept-drift'], certFiles, note: flags.note, colour: useColor(io), resumeHint: resumeCommand(resume) });
  } finally {
    await backend?.close();
  }
}

function flagPath(io: Io, value: string | undefined): string | undefined {
  return value === undefined ? undefined : resolve(io.cwd, value);
}

function parseParallel(value: string | undefined, live: boolean): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new UserError(`--parallel needs a whole number of nodes from 1 to 64, not "${value}"`, 'For example --parallel 3 in a maintenance window; without it restarts are rolling.', ExitCode.usage);
  if (!live) throw new UserError('--parallel only applies with --live', 'Add --live to run steps over SSH.', ExitCode.usage);
  return n;
}

/** `KEY=FILE` flags as a map (file paths resolved against the current folder); bad shapes are usage errors. */
function keyedFiles(values: string[] | undefined, flag: string, shape: string, cwd?: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values ?? []) {
    const at = v.indexOf('=');
    const key = v.slice(0, at).trim();
    const file = v.slice(at + 1);
    if (at <= 0 || file === '' || /[\u0000-\u001f\u007f]/.test(v)) throw new UserError(`${flag} needs ${shape}, not "${v.replace(/[\u0000-\u001f\u007f]/g, '?')}"`, `For example ${flag} ${shape.replace('FILE', 'signed.pem')}.`, ExitCode.usage);
    if (out.has(key)) throw new UserError(`${flag} names ${key} twice`, undefined, ExitCode.usage);
    out.set(key, cwd !== undefined ? resolve(cwd, file) : file);
  }
  return out;
}

/** --cert KEY=FILE and --csr KEY=FILE as the certificate checkpoint's answers (a CSR needs its certificate). */
function certificateFiles(flags: WizardFlags): Map<string, CertificateFiles> {
  const certs = keyedFiles(flags.cert, '--cert', 'KEY=FILE');
  const csrs = keyedFiles(flags.csr, '--csr', 'KEY=FILE');
  for (const k of csrs.keys()) if (!certs.has(k)) throw new UserError(`--csr ${k} has no --cert ${k}=FILE`, 'Name the certificate the CA returned with --cert, then its CSR with --csr.', ExitCode.usage);
  return new Map([...certs].map(([k, file]) => [k, { file, ...(csrs.has(k) ? { csrFile: csrs.get(k)! } : {}) }]));
}

function parseHealthTimeout(value: string | undefined, live: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 7200) throw new UserError(`--health-timeout needs a whole number of seconds from 1 to 7200, not "${value}"`, 'For example --health-timeout 900 for a slow node; the default is 600.', ExitCode.usage);
  if (!live) throw new UserError('--health-timeout only applies with --live', 'Add --live to run steps over SSH.', ExitCode.usage);
  return n * 1000;
}

const run: Command = {
  name: 'run',
  summary: 'Walk through the rollout step by step (wizard; rehearsal unless --live)',
  usage,
  async run(argv, io) {
    // A parse error reaches cli.ts, which answers it (exit 2, with the closest documented flag).
    const { values } = parseArgs({ args: argv, options: { inventory: { type: 'string', short: 'i' }, ...wizardOptions }, strict: true, allowPositionals: false });
    if (values.inventory === undefined) throw new UserError('collabsec run needs --inventory FILE', 'Create one with `collabsec init`, or try examples/ent-pa.yaml.', ExitCode.usage);
    return startWizard(io, values.inventory, values);
  },
};

export default run;
