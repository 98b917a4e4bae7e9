// What the operator does for a step, in words: the one place the UI and plain mode read a step's
// kind and shape (its typed lines, GUI path, read-only check, operator-machine lines) together
// with the mode (rehearsal, live, local steps run here). The key bar's Enter, the step view's
// "To do" line, the box shown once a step has begun and plain mode's step text all come from
// here, so they cannot contradict each other (issue 12 "Steps say what to do", "Modes are
// unmistakable", "Consistent words and codes"): a GUI step never says "type the commands"; a step
// with a GUI path and a CLI form says "either … or"; a read-only pre-flight or post-change check
// says collabsec reads it (in a rehearsal: what it would read); LIVE never says "you type the
// commands"; lines for openssl or sftp are for the operator's own machine.
import type { Action, PlannedStep } from '../plan/types.js';
import { isLocalStep } from './execute.js';
import { apiActions, axlActions, hasAutomaticCheck, sshActions } from './reach.js';

/** What a step asks of the operator, from its plan data alone. */
export type StepShape = 'read-only' | 'gui' | 'gui-or-cli' | 'cli' | 'local' | 'manual';

/** The mode the wizard runs in: `live` sends to devices; `local` runs operator-machine steps here. */
export interface TaskMode {
  live: boolean;
  local: boolean;
}

/** Rehearsal: nothing is sent, nothing runs here. */
export const REHEARSAL: TaskMode = { live: false, local: false };

const hasGui = (step: PlannedStep): boolean => step.gui !== undefined || step.actions.some((a) => a.gui !== undefined);
const typesLines = (step: PlannedStep): boolean => step.actions.some((a) => a.commands.length > 0);

export function stepShape(step: PlannedStep): StepShape {
  if (isLocalStep(step)) return 'local';
  const typed = typesLines(step);
  const gui = hasGui(step);
  // A manual step with no lines of its own and a machine check: the check is the step (P001–P011, V001–V003).
  if (step.kind === 'manual' && !typed && !gui && hasAutomaticCheck(step)) return 'read-only';
  if (gui && typed) return 'gui-or-cli';
  if (gui) return 'gui';
  if (typed) return 'cli';
  return 'manual';
}

/** Node names, in plan order, once each ("us-cm-pub, us-cm-sub1"). */
const nodes = (actions: readonly Action[]): string => [...new Set(actions.map((a) => a.target))].join(', ');

/** How the live mode sends the step's change: over SSH, through AXL, or another product API; undefined when it sends nothing. */
function channel(step: PlannedStep): string | undefined {
  if (sshActions(step).length > 0) return 'over SSH';
  if (axlActions(step).length > 0) return 'through AXL';
  if (apiActions(step).length > 0) return "through the product's API";
  return undefined;
}

/** The label of Enter on the step list. */
export function beginLabel(step: PlannedStep, mode: TaskMode): string {
  const shape = stepShape(step);
  if (shape === 'local') return mode.local ? "run on this machine (the operator's)" : 'begin (you run it on your own machine)';
  if (shape === 'read-only') return mode.live ? 'begin the read-only check' : 'begin (read-only; a rehearsal reads nothing)';
  const via = mode.live ? channel(step) : undefined;
  if (via !== undefined) return `run ${via}`;
  switch (shape) {
    case 'gui':
      return 'begin (you follow the GUI path)';
    case 'gui-or-cli':
      return 'begin (you take the GUI path or type the commands)';
    case 'cli':
      return mode.live ? 'begin (by hand: collabsec sends nothing)' : 'begin (you type the commands)';
    case 'manual':
      return 'begin (you do it by hand)';
  }
}

/** One sentence: what the operator (or collabsec) does for this step in this mode. */
export function stepTodo(step: PlannedStep, mode: TaskMode): string {
  const shape = stepShape(step);
  const via = mode.live ? channel(step) : undefined;
  const on = nodes(step.actions.filter((a) => a.commands.length > 0));
  switch (shape) {
    case 'read-only': {
      const read = [...new Set(step.actions.map((a) => a.target))];
      const where = read.length === 1 ? read[0]! : `${read.length} nodes`;
      return mode.live
        ? `A read-only check that collabsec runs: at the checkpoint it reads ${where} (its automatic check); nothing on the devices changes.`
        : `A read-only check that collabsec runs with --live; nothing on the devices changes. Rehearsal: nothing is read — its automatic check is what it would read on ${where}; answer the checkpoint yourself.`;
    }
    case 'local':
      return mode.local
        ? `collabsec runs the lines above here, on the operator's machine (for ${on}); nothing is typed into a device's CLI.`
        : `Run the lines above on your own machine (the operator's, for ${on}), not on a device's CLI.`;
    case 'gui':
      return via !== undefined ? `Either collabsec sends it ${via} (Enter), or you follow the GUI path above yourself.` : 'Follow the GUI path above.';
    case 'gui-or-cli':
      return via !== undefined
        ? `Either collabsec types the commands above on ${on} ${via} (Enter), or you follow the GUI path above yourself.`
        : `Either follow the GUI path above, or type the commands above on ${on}.`;
    case 'cli':
      return via !== undefined ? `collabsec types the commands above on ${on} ${via}.` : mode.live ? `Type the commands above on ${on} by hand: collabsec cannot send them.` : `Type the commands above on ${on}.`;
    case 'manual':
      return 'Do it by hand, as the instructions above say.';
  }
}

/** What comes after the step has begun and nothing was sent: the to-do and how to conclude it. */
export function begunTodo(step: PlannedStep, mode: TaskMode): string {
  const then = stepShape(step) === 'read-only' ? 'Press c for the checkpoint.' : 'Press c when done to check the result.';
  return `${stepTodo(step, mode)} ${then}`;
}

/** After "On <node>" in the step view: what happens on that node when it types no lines. */
export function actionNote(step: PlannedStep, action: Action): string {
  if (action.commands.length > 0) return ':';
  const shape = stepShape(step);
  if (shape === 'read-only') return ' — read-only: read at the checkpoint';
  if (action.gui !== undefined || hasGui(step)) return ' — in the GUI (path below)';
  return ' — by hand (instructions below)';
}
