// `collabsec resume`: reopen a session days later. The inventory defaults to the one the session
// recorded; interrupted steps come up first with their checkpoint, and a changed inventory or
// catalogue is reviewed before anything else (both handled by the wizard itself).
import { parseArgs } from 'node:util';
import { acceptTamperedSession, describeBreak, FileSessionStore, findSession, integrityLine, TamperedSessionError, verifyJournal } from '../session/index.js';
import { openBackend, storedSession } from './backend.js';
import { startWizard, wizardOptions } from './run.js';
import type { Command } from './types.js';

const usage = `Usage: collabsec resume [--session NAME|FILE] [-i|--inventory FILE] [options]

Reopens a rollout session. Without --inventory, the inventory the session was started with is
used. Without --session, the session is named after the inventory; with neither, the only session
in ./.collabsec/ is used (several: collabsec lists them and asks for --session). A step that was in progress when collabsec stopped is shown
as interrupted and its checkpoint is asked first; it is never re-run blindly.

Options are those of \`collabsec run\` (--backend, --live, --parallel, --health-timeout,
--known-hosts, --tls-pins, --plain, --steps, --yes, --checkpoint-passed, --by-hand, --accept-drift,
--paste, --cert, --csr, --note), with its decisions on a step in doubt: --recheck, --accept-verdict,
--override, --resend, --reopen and --backed-out. With --live, a reopened session probes first: an interrupted step's
read-only check decides whether it was applied, and the verified steps the next one requires are
re-checked on their nodes (drift is shown before anything new runs).

A journal edited outside collabsec (its hash chain broken: a status changed, an event deleted,
added or moved) is refused with exit 5, naming the first broken event. --accept-tampered goes on
with it as it is: your acceptance (who, when, what was broken) is written into the journal, the
history is re-sealed, and status and the evidence pack keep flagging the session TAMPERED.

Examples:
  collabsec resume -i site.yaml                          reopen the site's session in the wizard
  collabsec resume -i site.yaml --live                   probe in-doubt steps first, then go on live
  collabsec resume -i site.yaml --live --plain --recheck S022
                                                         an interrupted step: its probe decides
  collabsec resume --session site --accept-tampered      go on with a journal edited outside collabsec

Exit codes: those of \`collabsec run\`; 5 also for a tampered journal without --accept-tampered.`;

const resume: Command = {
  name: 'resume',
  summary: 'Continue a rollout session (interrupted steps are re-checked first)',
  usage,
  async run(argv, io) {
    // A parse error reaches cli.ts, which answers it (exit 2, with the closest documented flag).
    const { values } = parseArgs({ args: argv, options: { inventory: { type: 'string', short: 'i' }, 'accept-tampered': { type: 'boolean', default: false }, ...wizardOptions }, strict: true, allowPositionals: false });
    const { 'accept-tampered': acceptTampered, ...flags } = values;
    const backend = await openBackend(values.backend, io);
    let state;
    let session: string;
    try {
      const store = backend ? await storedSession(backend, { session: values.session, inventoryPath: values.inventory }) : new FileSessionStore((await findSession({ inventoryPath: values.inventory, session: values.session, cwd: io.cwd })).file);
      session = backend ? store.name : store.location;
      // Refuses a missing or damaged session (naming a backup): resume never starts a new one.
      state = await store.load();
      // Refused here, before any password is asked; the wizard's open refuses it too (for `run`).
      const integrity = verifyJournal(state);
      if (integrity.kind === 'tampered' && !acceptTampered) throw new TamperedSessionError(store.location, describeBreak(integrity.first), integrity.breaks.length, await store.backup());
      if (acceptTampered) {
        const found = await acceptTamperedSession(store);
        if (found.kind === 'tampered')
          io.stderr.write(`WARNING: ${integrityLine(found)}.\nGoing on as you asked (--accept-tampered): your acceptance is recorded in the journal, and status and the evidence pack flag this session TAMPERED.\n`);
      }
    } finally {
      await backend?.close();
    }
    const inventory = flags.inventory ?? state.inventory.path;
    return startWizard(io, inventory, { ...flags, session });
  },
};

export default resume;
