// `collabsec status`: where a rollout stands, without opening (or locking) the session, so it
// can run beside a live wizard. Reads are safe during writes because writes are atomic renames.
import { parseArgs } from 'node:util';
import { ExitCode } from '../errors.js';
import { loadPlan } from '../plan/load-plan.js';
import type { Plan } from '../plan/types.js';
import { findSession } from '../session/paths.js';
import { sessionOverview, type SessionOverview } from '../session/overview.js';
import { operatorText } from '../session/presence.js';
import { loadSession } from '../session/load.js';
import { stripControls, stripLine } from '../text/controls.js';
import { backendOption, backendUsage, openBackend, storedSession } from './backend.js';
import type { Command } from './types.js';

/**
 * Every string in a value (journal users, notes, reasons, summaries, titles, paths, lock owners)
 * passed through `strip`: what `status`/`sessions` print, as text or --json, never carries an
 * escape sequence, a C1 control, a bidi override or a zero-width character (issue 19).
 */
export function cleanStrings<T>(value: T, strip: (s: string) => string): T {
  if (typeof value === 'string') return strip(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanStrings(v, strip)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [strip(k), cleanStrings(v, strip)])) as T;
  return value;
}

const usage = `Usage: collabsec status [--session NAME|FILE] [--inventory FILE] [--json]

Shows a rollout session's progress (done / total, per product), its last activity, who is using
it now (the collabsec holding it, or a team's operators with the steps and nodes each claimed,
and when each was last seen), and its interrupted, in-doubt and failed steps. With --inventory, also the next
step and which steps' commands changed since the session's plan. Never changes the session.

Options:
  -s, --session NAME     session name (in .collabsec/ beside the inventory) or path to its .json
  -i, --inventory FILE   the inventory (locates the session; enables next step and change check)
      --json             machine-readable output
${backendUsage}
  -h, --help             show this help

Without --session and --inventory, the only session in ./.collabsec/ (or the database) is shown.
The journal's hash chain is checked: a history edited outside collabsec (a status changed, an
event deleted, added or moved) is flagged TAMPERED, naming the first broken event.

Examples:
  collabsec status -i site.yaml            progress of the site's session
  collabsec status --session site --json   for scripts and dashboards

Exit codes: 0 shown (a tampered journal too, flagged), 2 bad usage, 3 invalid inventory,
5 session missing or damaged.`;

function text(o: SessionOverview): string {
  const lines = [
    `Session ${o.name} (${o.file})`,
    // A broken chain first, where it cannot be missed: the statuses below are as found in the file.
    ...(o.journal.tampered ? [`!! ${o.journal.summary}`, '!! The statuses below are as found in the file; do not rely on them without checking.'] : [`Journal: ${o.journal.summary}`]),
    `Plan: ${o.planTitle}`,
    `Inventory: ${o.inventoryPath}`,
    `Progress: ${o.progress.done}/${o.progress.total} done (${Object.entries(o.progress.byStatus).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ') || 'nothing yet'})`,
    ...o.progress.byProduct.map((p) => `  ${p.product.padEnd(12)} ${p.done}/${p.total}`),
    `Last activity: ${o.lastActivity}`,
    o.lockedBy
      ? `In use by process ${o.lockedBy.pid} on ${o.lockedBy.host} (user ${o.lockedBy.user}, since ${o.lockedBy.startedAt}, last seen ${o.lockedBy.refreshedAt})`
      : o.presence.length > 0
        ? `In use by a team of ${o.presence.length} operator${o.presence.length === 1 ? '' : 's'}:`
        : 'Not in use',
    ...(o.lockedBy ? [] : o.presence.map((p) => `  ${operatorText(p)}`)),
  ];
  const list = (title: string, items: SessionOverview['interrupted']) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const i of items) lines.push(`  ${i.id} ${i.title} — ${i.at} by ${i.user}${i.target ? ` on ${i.target}` : ''}${i.detail ? ` (${i.detail})` : ''}${i.claimedBy ? ` [claimed by ${i.claimedBy.user} on ${i.claimedBy.host}, process ${i.claimedBy.pid}]` : ''}`);
  };
  if (o.lockedBy) list('In progress', o.interrupted);
  else {
    // On a team, a step a present operator claimed is theirs, in progress; the rest are interrupted.
    list('In progress (claimed)', o.interrupted.filter((i) => i.claimedBy));
    list('Interrupted (re-run the checkpoint first)', o.interrupted.filter((i) => !i.claimedBy));
  }
  list('In doubt (a line was sent, its result unknown: re-check it with its probe; never re-sent without your choice)', o.inDoubt);
  list('Failed', o.failed);
  if (o.next) lines.push(`Next: ${o.next.id} ${o.next.title} (${o.next.reason}${o.next.missing.length > 0 ? `; waiting for ${o.next.missing.join(', ')}` : ''})`);
  if (o.changes) {
    const c = o.changes;
    if (c.inventoryChanged || c.catalogueChanged) lines.push(`Changed since the session's plan: ${[c.inventoryChanged && 'inventory', c.catalogueChanged && 'catalogue'].filter(Boolean).join(' and ')}`);
    for (const s of c.changed) lines.push(`  ${s.id} ${s.title}: commands changed${s.flagged ? ` — FLAGGED: was ${s.status} with the old commands` : ''}`);
    if (c.added.length > 0) lines.push(`  new steps: ${c.added.join(', ')}`);
    if (c.removed.length > 0) lines.push(`  steps no longer in the plan: ${c.removed.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

const command: Command = {
  name: 'status',
  summary: 'show a rollout session: progress, last activity, interrupted and failed steps',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        session: { type: 'string', short: 's' },
        inventory: { type: 'string', short: 'i' },
        json: { type: 'boolean' },
        ...backendOption,
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return ExitCode.ok;
    }
    const plan: Plan | undefined = values.inventory !== undefined ? loadPlan(values.inventory).plan : undefined;
    const backend = await openBackend(values.backend, io);
    let overview: SessionOverview;
    if (backend) {
      try {
        const store = await storedSession(backend, { session: values.session, inventoryPath: values.inventory });
        overview = await sessionOverview(store.location, await store.load(), plan, () => store.presence());
      } finally {
        await backend.close();
      }
    } else {
      const where = await findSession({ inventoryPath: values.inventory, session: values.session, cwd: io.cwd });
      overview = await sessionOverview(where.file, await loadSession(where.file), plan);
    }
    // --json keeps line breaks (JSON escapes them); text is one line per field.
    io.stdout.write(values.json ? `${JSON.stringify(cleanStrings(overview, stripControls), null, 2)}\n` : text(cleanStrings(overview, stripLine)));
    return ExitCode.ok;
  },
};

export default command;
