// Runs a started step's actions through the SSH port, one target after another, stopping at the
// first that does not end "ok": what was sent to the next node depends on the previous one (a
// publisher before its subscribers), so nothing is attempted after a failure or a doubt.
import type { PlannedStep } from '../plan/types.js';
import type { ExecuteStep } from './types.js';

export type ActionsResult =
  | { ok: true; lines: string[] }
  | { ok: false; lines: string[]; outcome: 'failed' | 'unknown'; target: string; summary: string; transcripts?: string[] };

/** True for CLI kinds with lines for a reachable host (GUI and manual steps are done by the operator). */
export function isRunnable(step: PlannedStep): boolean {
  return ['cli', 'ios-config', 'mmp'].includes(step.kind) && step.actions.some((a) => a.commands.length > 0 && a.host !== undefined);
}

/** `onLines` gets the whole progress list on every change; `done` is true once a target has its result. */
export async function runActions(step: PlannedStep, execute: ExecuteStep, onLines: (lines: string[], done: boolean) => void): Promise<ActionsResult> {
  const lines: string[] = [];
  for (const action of step.actions.filter((a) => a.commands.length > 0)) {
    lines.push(`${action.target}: running ${action.commands.length} command(s)…`);
    onLines([...lines], false);
    const r = await execute(step, action, (text) => {
      lines[lines.length - 1] = `${action.target}: ${text}`;
      onLines([...lines], false);
    });
    lines[lines.length - 1] = `${action.target}: ${r.outcome} — ${r.summary}`;
    onLines([...lines], true);
    // In doubt is recorded as "unknown": the checkpoint (never a re-send) settles it.
    if (r.outcome !== 'ok') return { ok: false, lines, outcome: r.outcome === 'failed' ? 'failed' : 'unknown', target: action.target, summary: `${action.target}: ${r.summary}`, transcripts: r.transcripts };
  }
  return { ok: true, lines };
}
