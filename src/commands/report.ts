// `collabsec report`: the evidence pack for the change board, from the session journal and the
// same Plan the wizard ran (loadPlan), so the commands shown are the ones that were rendered.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { changeOptions, changeUsage } from '../inventory/change.js';
import { loadPlan } from '../plan/load-plan.js';
import { writeFileAtomic } from '../session/atomic-write.js';
import { renderEvidence } from '../session/evidence.js';
import { loadSession } from '../session/load.js';
import { findSession } from '../session/paths.js';
import { backendOption, backendUsage, openBackend, storedSession } from './backend.js';
import { changeFromFlags } from './change-flags.js';
import type { Command } from './types.js';
import { collabsecVersion } from '../version.js';

const usage = `Usage: collabsec report [--session NAME|FILE] [--inventory FILE] [--format markdown|html] [--output FILE]

Writes the evidence pack of a rollout session. Its first line says whether the session was LIVE
(collabsec sent to devices) or a REHEARSAL (nothing sent); a one-page summary follows: the change
record, versions, steps per status, every overridden and skipped step with its reason, and the
time the session spans. Then per step its status, who did what and when, the exact commands from
the plan, operator notes, checkpoint results and transcript references. Steps concluded with
commands that differ from the current plan are flagged.

Options:
  -s, --session NAME     session name (in .collabsec/ beside the inventory) or path to its .json
  -i, --inventory FILE   the inventory (default: the one recorded in the session)
  -f, --format FORMAT    markdown (default) or html
  -o, --output FILE      write to FILE (created 0600) instead of standard output
${changeUsage}
${backendUsage}
  -h, --help             show this help

Examples:
  collabsec report -i site.yaml                             markdown on standard output
  collabsec report -i site.yaml -f html -o evidence.html    the evidence pack for the change board
  collabsec report -i site.yaml --change-number CHG0012345 --approver "J. Doe (CAB)" -o evidence.md

Exit codes: 0 written, 2 bad usage, 3 invalid inventory, 5 session missing or damaged.`;

const command: Command = {
  name: 'report',
  summary: 'write the evidence pack of a session (markdown or html)',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        session: { type: 'string', short: 's' },
        inventory: { type: 'string', short: 'i' },
        format: { type: 'string', short: 'f', default: 'markdown' },
        output: { type: 'string', short: 'o' },
        ...changeOptions,
        ...backendOption,
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return ExitCode.ok;
    }
    const format = values.format;
    if (format !== 'markdown' && format !== 'html') throw new UserError(`unknown format "${format}"`, 'Use markdown or html.', ExitCode.usage);
    const backend = await openBackend(values.backend, io);
    let state;
    if (backend) {
      try {
        state = await (await storedSession(backend, { session: values.session, inventoryPath: values.inventory })).load();
      } finally {
        await backend.close();
      }
    } else state = await loadSession((await findSession({ inventoryPath: values.inventory, session: values.session, cwd: io.cwd })).file);
    const inventory = values.inventory !== undefined ? path.resolve(io.cwd, values.inventory) : state.inventory.path;
    const { plan } = loadPlan(inventory);
    plan.change = changeFromFlags(plan.change, values);
    const out = renderEvidence(plan, state, format, undefined, collabsecVersion());
    if (values.output !== undefined) {
      // The pack names hosts and who did what: private by default, like the session itself.
      const file = path.resolve(io.cwd, values.output);
      await writeFileAtomic(file, out, { backup: false });
      io.stderr.write(`Evidence pack written to ${file}\n`);
    } else io.stdout.write(out);
    return ExitCode.ok;
  },
};

export default command;
