// Runs a started step's actions through the SSH port, one target after another, stopping at the
// first that does not end "ok": what was sent to the next node depends on the previous one (a
// publisher before its subscribers), so nothing is attempted after a failure or a doubt.
import type { PlannedStep } from '../plan/types.js';
import { apiActions, axlActions, sshActions } from './reach.js';
import type { ExecuteStep, NodeOutcome, RunStep } from './types.js';

export type ActionsResult =
  | { ok: true; lines: string[]; nodes?: NodeOutcome[]; transcripts?: string[] }
  | { ok: false; lines: string[]; outcome: 'failed' | 'unknown'; target: string; summary: string; transcripts?: string[]; nodes?: NodeOutcome[]; inDoubt?: boolean };

/** Ports that can send a step's commands: the step-level runner (rolling) or the per-action one. */
export interface SendPorts {
  runStep?: RunStep;
  executeStep?: ExecuteStep;
}

/**
 * Sends a started step through the step-level runner when there is one (rolling / --parallel,
 * per-node results, the operator's stop), else action by action. In doubt becomes "unknown":
 * the checkpoint (never a re-send) settles it.
 */
export async function sendStep(step: PlannedStep, ports: SendPorts, onLines: (lines: string[], done: boolean, finished?: string) => void, signal: AbortSignal, onOutput?: (node: string, text: string) => void): Promise<ActionsResult> {
  if (ports.runStep === undefined) return runActions(step, ports.executeStep!, onLines);
  let lines: string[] = [];
  const r = await ports.runStep(step, {
    signal,
    progress: (l, done, finished) => {
      lines = l;
      onLines(l, done, finished);
    },
    ...(onOutput !== undefined ? { output: onOutput } : {}),
  });
  if (r.outcome === 'ok') return { ok: true, lines, nodes: r.nodes, ...(r.transcripts !== undefined ? { transcripts: r.transcripts } : {}) };
  const bad = r.nodes.filter((n) => n.outcome === 'failed' || n.outcome === 'in-doubt');
  const target = bad.map((n) => n.node).join(',') || step.actions.map((a) => a.target).join(',');
  return { ok: false, lines, outcome: r.outcome === 'failed' ? 'failed' : 'unknown', target, summary: r.summary, transcripts: r.transcripts, nodes: r.nodes, inDoubt: r.outcome === 'in-doubt' };
}

/** Per-node results as checkpoint details for the journal (the summary names every node). */
export function nodeDetails(nodes: NodeOutcome[] | undefined): { target: string; outcome: 'passed' | 'failed' | 'unknown'; text: string }[] | undefined {
  if (nodes === undefined || nodes.length === 0) return undefined;
  return nodes.map((n) => ({ target: n.node, outcome: n.outcome === 'ok' ? 'passed' : n.outcome === 'failed' ? 'failed' : 'unknown', text: n.summary }));
}

/**
 * True for a step with lines typed into a node over SSH or requests sent through AXL: the CLI
 * kinds, and GUI steps that have a CLI or AXL form (the operator may still take the GUI path and
 * say so). Manual and local steps are not.
 */
export function isRunnable(step: PlannedStep): boolean {
  return sshActions(step).length > 0 || axlActions(step).length > 0 || apiActions(step).length > 0;
}

/** True for a step whose lines run on the operator's machine (platform local: openssl, sftp). */
export function isLocalStep(step: PlannedStep): boolean {
  return step.actions.some((a) => a.platform === 'local' && a.commands.length > 0);
}

/** `onLines` gets the whole progress list on every change; `done` is true once a target has its result. */
export async function runActions(step: PlannedStep, execute: ExecuteStep, onLines: (lines: string[], done: boolean) => void): Promise<ActionsResult> {
  const lines: string[] = [];
  // Every node's transcript, in the order they ran (one file per node: a node named twice is listed once).
  const transcripts: string[] = [];
  for (const action of sshActions(step)) {
    lines.push(`${action.target}: running ${action.commands.length} command(s)…`);
    onLines([...lines], false);
    const r = await execute(step, action, (text) => {
      lines[lines.length - 1] = `${action.target}: ${text}`;
      onLines([...lines], false);
    });
    lines[lines.length - 1] = `${action.target}: ${r.outcome} — ${r.summary}`;
    onLines([...lines], true);
    for (const t of r.transcripts ?? []) if (!transcripts.includes(t)) transcripts.push(t);
    // In doubt is recorded as "unknown": the checkpoint (never a re-send) settles it.
    if (r.outcome !== 'ok') return { ok: false, lines, outcome: r.outcome === 'failed' ? 'failed' : 'unknown', target: action.target, summary: `${action.target}: ${r.summary}`, transcripts };
  }
  return { ok: true, lines, ...(transcripts.length > 0 ? { transcripts } : {}) };
}
