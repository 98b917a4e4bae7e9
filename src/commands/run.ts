// `collabsec run`: the guided rollout. The mode is decided once, here at the edge: a TTY gets
// the ink wizard (loaded with import() so `plan` never loads ink or react), anything else gets
// the plain mode, which takes decisions only from flags and never waits for input.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { loadPlan, type LoadedPlan } from '../plan/load-plan.js';
import { openSession, resolveSession } from '../session/index.js';
import { WizardController } from '../wizard/controller.js';
import { runPlain } from '../wizard/plain.js';
import { peekSession } from '../wizard/readonly-session.js';
import type { ExecuteStep, VerifyStep } from '../wizard/types.js';
import type { Command, Io } from './types.js';

export const wizardOptions = {
  session: { type: 'string' },
  live: { type: 'boolean', default: false },
  steps: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'checkpoint-passed': { type: 'boolean', default: false },
  note: { type: 'string' },
  plain: { type: 'boolean', default: false },
} as const;

export interface WizardFlags {
  session?: string;
  live: boolean;
  steps?: string;
  yes: boolean;
  'checkpoint-passed': boolean;
  note?: string;
  plain: boolean;
}

const usage = `Usage: collabsec run --inventory FILE [options]

Walks through the rollout step by step, recording every decision in a session file
(.collabsec/<name>.json beside the inventory). Without --live nothing is sent to any device
(rehearsal): you type the commands shown, and the wizard records and checks.

Options:
  --inventory FILE       the deployment inventory (YAML)
  --session NAME         session name or path to a session .json (default: the inventory's name)
  --live                 run CLI steps over SSH (needs the SSH runner)
  --plain                plain line output even on a terminal (implied without a TTY or in CI)

Without a terminal (decisions come only from these flags):
  --steps ID,...         steps to act on (ids such as S022 or slugs); without it, only list
  --yes                  confirm disruptive steps and accept a changed inventory/catalogue
  --checkpoint-passed    you did and checked the steps yourself: record their checkpoints passed
  --note TEXT            add a note to each step acted on

Exit codes: 0 done, 2 usage, 3 invalid inventory, 4 a step needs a decision or failed,
5 session locked or damaged.`;

/** Whether ink can run: a TTY on both ends and no CI (ink itself stops redrawing in CI). */
export function interactive(io: Io, plain: boolean): boolean {
  const ci = ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => io.env[k] !== undefined && io.env[k] !== '0' && io.env[k] !== 'false');
  return !plain && !ci && io.stdin.isTTY === true && io.stdout.isTTY === true;
}

function parseSteps(spec: string | undefined, lp: LoadedPlan): string[] | undefined {
  if (spec === undefined) return undefined;
  const wanted = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const ids: string[] = [];
  const problems: string[] = [];
  for (const w of wanted) {
    const step = lp.plan.steps.find((s) => s.id === w || s.slug === w);
    if (step) ids.push(step.id);
    else problems.push(lp.catalogue.steps.some((s) => s.id === w || s.slug === w) ? `step "${w}" is not in this inventory's plan (its feature is off)` : `unknown step "${w}"`);
  }
  if (problems.length > 0 || ids.length === 0) throw new UserError(problems.join('\n') || '--steps is empty', 'Use ids such as S022 or slugs such as cucm-mixed-mode-enable (see `collabsec plan`).', ExitCode.usage);
  return ids;
}

/** The SSH ports. The transport's executor is not wired in yet, so --live is refused, never faked. */
function livePorts(live: boolean): { executeStep?: ExecuteStep; verifyStep?: VerifyStep } {
  if (!live) return {};
  throw new UserError('--live is not available yet: this build has no SSH runner', 'Run without --live to rehearse: the wizard shows the exact commands and records your checkpoints.', ExitCode.usage);
}

/** Shared by `run` and `resume`: open (and lock) the session, then the TUI or the plain mode. */
export async function startWizard(io: Io, inventory: string, flags: WizardFlags): Promise<number> {
  const ports = livePorts(flags.live); // before the plan: a usage error should not wait for it
  const inventoryPath = resolve(io.cwd, inventory);
  const lp = loadPlan(inventoryPath);
  const steps = parseSteps(flags.steps, lp);
  const where = resolveSession({ inventoryPath, session: flags.session, cwd: io.cwd });
  const plain = !interactive(io, flags.plain);
  // Listing only: no lock, no file created (a pipe or CI job looking at progress changes nothing).
  if (plain && steps === undefined) return runPlain({ session: await peekSession(where.file, where.name, lp.plan, inventoryPath), out: io.stderr, yes: false, checkpointPassed: false });
  const session = await openSession({ plan: lp.plan, inventoryPath, dir: where.dir, name: where.name });
  try {
    if (plain) {
      return await runPlain({ session, out: io.stderr, steps, yes: flags.yes, checkpointPassed: flags['checkpoint-passed'], note: flags.note, ...ports });
    }
    if (steps !== undefined || flags.yes || flags['checkpoint-passed'] || flags.note !== undefined)
      throw new UserError('--steps, --yes, --checkpoint-passed and --note are for runs without a terminal', 'On a terminal the wizard asks; add --plain to decide with flags.', ExitCode.usage);
    const { renderWizard } = await import('../ui/render.js');
    const controller = new WizardController(session, ports);
    await renderWizard(controller, io, flags.live ? 'LIVE (SSH)' : 'rehearsal (nothing is sent)');
    const p = session.progress();
    io.stderr.write(`Session ${session.name}: ${p.done}/${p.total} done. Continue with: collabsec resume --session ${session.file}\n`);
    // The app also ends on Ctrl-C (ink's exitOnCtrlC); only "q" is a normal quit.
    return controller.getView().mode.kind === 'quit' ? ExitCode.ok : ExitCode.interrupted;
  } finally {
    await session.close();
  }
}

const run: Command = {
  name: 'run',
  summary: 'Walk through the rollout step by step (wizard; rehearsal unless --live)',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, options: { inventory: { type: 'string' }, ...wizardOptions }, strict: true, allowPositionals: false }));
    } catch (e) {
      throw new UserError((e as Error).message, 'See `collabsec run --help`.', ExitCode.usage);
    }
    if (values.inventory === undefined) throw new UserError('collabsec run needs --inventory FILE', 'Create one with `collabsec init`, or try examples/ent-pa.yaml.', ExitCode.usage);
    return startWizard(io, values.inventory, values);
  },
};

export default run;
