// `collabsec resume`: reopen a session days later. The inventory defaults to the one the session
// recorded; interrupted steps come up first with their checkpoint, and a changed inventory or
// catalogue is reviewed before anything else (both handled by the wizard itself).
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { loadSession, resolveSession } from '../session/index.js';
import { startWizard, wizardOptions } from './run.js';
import type { Command } from './types.js';

const usage = `Usage: collabsec resume [--session NAME|FILE] [--inventory FILE] [options]

Reopens a rollout session. Without --inventory, the inventory the session was started with is
used. Without --session, the session is named after the inventory; with neither, the session
"default" in ./.collabsec/ is used. A step that was in progress when collabsec stopped is shown
as interrupted and its checkpoint is asked first; it is never re-run blindly.

Options are those of \`collabsec run\` (--live, --parallel, --known-hosts, --plain, --steps, --yes,
--checkpoint-passed, --note). With --live, a reopened session probes first: an interrupted step's
read-only check decides whether it was applied, and the verified steps the next one requires are
re-checked on their nodes (drift is shown before anything new runs).`;

const resume: Command = {
  name: 'resume',
  summary: 'Continue a rollout session (interrupted steps are re-checked first)',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, options: { inventory: { type: 'string' }, ...wizardOptions }, strict: true, allowPositionals: false }));
    } catch (e) {
      throw new UserError((e as Error).message, 'See `collabsec resume --help`.', ExitCode.usage);
    }
    const where = resolveSession({ inventoryPath: values.inventory, session: values.session, cwd: io.cwd });
    // Refuses a missing or damaged file (naming the backup): resume never starts a new session.
    const state = await loadSession(where.file);
    const inventory = values.inventory ?? state.inventory.path;
    return startWizard(io, inventory, { ...values, session: where.file });
  },
};

export default resume;
