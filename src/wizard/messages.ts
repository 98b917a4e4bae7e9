// The words both modes say for the same decision or state of a step (issue 20): the TUI shows
// them as a message line, plain mode prints them. Written once so the two modes cannot drift
// apart in what they promise the operator (nothing re-sent blindly, what in doubt means, …).
import type { Drift } from './probes.js';
import { allAnswered as answered, type Interruption } from './types.js';

const unknown: Interruption = { kind: 'unknown' };

/**
 * What the journal knows of an interrupted step, as a sentence about `who` ("S010", "This step"),
 * so the operator is not told "may or may not have run" of a step every node answered ok to, nor
 * of one a rehearsal started (issue 12).
 */
export function interruptionText(who: string, k: Interruption = unknown): string {
  if (k.kind === 'rehearsal') return `${who} was started in a rehearsal (collabsec sent nothing), and its checkpoint was not answered`;
  if (k.kind === 'unknown') return `${who} was interrupted: it may or may not have run`;
  if (answered(k)) return `${who} was sent, and ${k.ok.length === 1 ? `its node ${k.ok[0]!}` : `all ${k.ok.length} nodes (${k.ok.join(', ')})`} answered ok; its checkpoint was not answered`;
  const rest = [
    ...(k.ok.length > 0 ? [`${k.ok.join(', ')} answered ok`] : []),
    ...(k.failed.length > 0 ? [`${k.failed.join(', ')} failed`] : []),
    ...(k.unsent.length > 0 ? [`${k.unsent.join(', ')} not sent`] : []),
  ].join('; ');
  if (k.doubt.length > 0) return `${who} was interrupted: it may or may not have run on ${k.doubt.join(', ')}${rest !== '' ? ` (${rest})` : ''}`;
  return `${who} was interrupted mid-run (${rest})`;
}

/** An interrupted step on open: what is known of it, and why it is settled before anything else. */
export const interrupted = (id: string, k?: Interruption): string => `${interruptionText(id, k)}. Check its checkpoint before anything else; it is never re-run blindly.`;

/** The engine re-runs an interrupted step's checkpoint instead of the step. */
export const recheckFirst = (id: string, k: Interruption = unknown): string =>
  answered(k) || k.kind === 'rehearsal' ? `${interruptionText(id, k)}: it is asked first; nothing is sent again.` : `${id} was interrupted: its checkpoint is re-run first; it is never re-run blindly.`;

/** A reopened live session probes an interrupted step. */
export const probing = (id: string, k: Interruption = unknown): string =>
  answered(k) ? `${interruptionText(id, k)}: running its read-only check (nothing is re-sent).` : `${id} was interrupted: probing whether it was applied (read-only, nothing is re-sent).`;

/** What going on node by node means, after the step's own words ("S023 resumed (…)"). */
const nodeByNode = 'nodes recorded ok are not sent again; a node in doubt is settled by its read-only probe first.';

/** An interrupted multi-node run found on open; `how` names the key that resumes it, where the mode offers one. */
export const resumableFound = (id: string, where: string, how?: string): string =>
  `${id} was interrupted mid-run (${where})${how !== undefined ? `. ${how} resumes it node by node` : ''}: ${nodeByNode}`;

/** An interrupted multi-node run goes on now. */
export const resumed = (id: string, where: string): string => `${id} resumed (${where}): ${nodeByNode}`;

/**
 * A send that ended in doubt: it may have applied, nothing is retried; `how` says how this mode
 * settles it. With `id` a sentence about the step ("S010 is in doubt …"), else a screen's heading.
 */
export const inDoubt = (summary: string, how: string, id?: string): string => `${id !== undefined ? `${id} is in doubt` : 'In doubt'} (it may have applied; nothing is retried — ${how}): ${summary}`;

/** The operator stopped waiting for a live command (`how`: " (interrupt)" where a signal did it). */
export const stopWaiting = (id?: string, how = ''): string =>
  `${id !== undefined ? `${id}: stop waiting` : 'Stop waiting'}${how}: the command in flight is abandoned and the step is recorded in doubt; nothing is retried.`;

/** One prerequisite that no longer passes its check. */
export const driftLine = (d: Drift): string => `drift: ${d.stepId} no longer passes its check: ${d.summary}`;

/** Drift found before `id` starts: it does not start unless the operator accepts going on (noted on it). */
export const driftStops = (id: string, drift: readonly Drift[], accept: string): string =>
  `${id} builds on ${drift.map((d) => d.stepId).join(', ')}, which no longer pass their checks: fix them, or ${accept} to go on anyway.`;

/** How the TUI's "go on anyway" at a drift screen is noted on the step (plain mode notes --accept-drift). */
export const driftAcceptedInWizard = 'the operator, in the wizard';

/** A disruptive step needs its typed confirmation (the TUI asks it; plain mode needs `--yes`). */
export const disruptive = (id: string, word: string): string => `${id} is disruptive and needs a typed confirmation ("${word}")`;

/** Without a terminal nobody can compare a fingerprint: an unknown SSH host key is refused, never trusted. */
export const hostKeyRefused = (host: string, fp: string): string =>
  `unknown host key for ${host} (${fp}): not trusted without a terminal. Verify it out of band and add it to the known_hosts file (--known-hosts), or run in a terminal.`;

/** The same rule for an HTTPS certificate (AXL). */
export const certificateRefused = (node: string, fp: string, subject: string): string =>
  `unknown HTTPS certificate for ${node} (${subject}, ${fp}): not trusted without a terminal. Verify it out of band and add it to the TLS pins file (--tls-pins), or run in a terminal.`;

/**
 * How a mode names the operator's ways out: the TUI by its keys, plain mode by its flags. The TUI
 * never shows a command-line flag (issue 12: "messages speak of TUI keys, not CLI flags").
 */
export type Wording = 'keys' | 'flags';

/** A step in doubt (or interrupted) and the four ways out, in the mode's words (TUI keys on its in-doubt screen, plain mode's flags). */
export const settleDoubt = (id: string, w: Wording): string =>
  w === 'keys'
    ? `${id} is in doubt (a line was sent, its result unknown): settle it first — re-check it with its read-only probe (key c), accept the probe's verdict (key a), override it with a reason (key o) or send it again (key R); it is never re-sent without that choice.`
    : `${id} is in doubt (a line was sent, its result unknown): settle it first — re-check it with its read-only probe (--recheck ${id}), accept the probe's verdict (--accept-verdict ${id}), override it with a reason (--override ${id}=REASON) or send it again (--resend ${id}); it is never re-sent without that choice.`;

/** A skipped prerequisite blocks what follows: how to unblock it, in the mode's words. */
export const skippedBlocks = (id: string, w: Wording): string =>
  `${id} was skipped: reopen it with a reason (${w === 'keys' ? 'key r on it' : `--reopen ${id}=REASON`}) and run it, or skip what needs it too.`;

/** The probe of a step in doubt did not confirm it: it stays in doubt until the operator decides. */
export const stillInDoubt = (id: string, summary: string, w: Wording): string => `${id} stays in doubt (its probe: ${summary}). ${settleDoubt(id, w)}`;

/** How the TUI's re-send of a step in doubt is recorded (plain mode records --resend). */
export const resendInWizard = 'the operator, in the wizard (R)';
