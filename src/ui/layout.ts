// Row budget for one frame, so the whole wizard fits the terminal: ink clears and reprints the
// screen when a frame is taller than the terminal, and the top (the step list) would scroll away.
import type { PlannedStep } from '../plan/types.js';
import type { WizardView } from '../wizard/types.js';
import { backoutBlocks, rawCommands, stepWarnings } from '../wizard/view-model.js';

const hasBackout = (step: PlannedStep): boolean => backoutBlocks(step).length > 0;
import { presenceRows } from './PresenceLine.js';

export interface Layout {
  /** Rows of the step list body. */
  list: number;
  /** Rows of the step view window. */
  view: number;
  /** Rows for the changed-steps list of the plan review. */
  review: number;
  /** Rows of a screen-wide overlay (the `?` help, the raw commands): all but header, message and key help. */
  overlay: number;
  /**
   * The typed confirmation of a disruptive step takes the frame below the header on its own (the
   * list and the step view are left out while it asks): the warnings it can show in full rows.
   */
  confirmWarnings: number;
  /** A failed certificate check's verdict table holds the frame below the header too: its rows. */
  failedTable: number;
}

/** Rows of the confirmation dialog besides its warnings: borders 2, title, "To go on", the field, a "not … " line, and what it sends. */
function confirmFixedRows(step: PlannedStep): number {
  const lines = rawCommands(step).reduce((n, b) => n + b.lines.length, 0);
  return 6 + (lines > 0 ? 1 + Math.min(3, lines) + (lines > 3 ? 1 : 0) : 0);
}

/** Rows the dialog under the step view takes in each mode (borders included). */
function dialogRows(view: WizardView, step: PlannedStep): number {
  const m = view.mode;
  switch (m.kind) {
    case 'confirm':
      // Warnings one row each (truncated), "Sends to" + up to 3 lines + "… more".
      return confirmFixedRows(step) + stepWarnings(step).length;
    case 'running':
      return 3 + (m.live ? m.lines.length : 2);
    case 'checkpoint':
      return 7;
    case 'failed':
      // One more row for the back-out line where the step has one.
      return 6 + (hasBackout(step) ? 1 : 0);
    case 'certificate':
      return 6;
    case 'runtime-file':
      return m.midStep ? 7 : 6;
    case 'secret':
      return 1;
    case 'host-key':
      return 6;
    case 'input':
    case 'finished':
      return 1;
    default:
      return 0;
  }
}

export function layout(rows: number, view: WizardView, step: PlannedStep): Layout {
  // header 1 (+1 when others are in the session), list progress + two "more" lines 3, step view
  // border 2, message 2, key help 3.
  const available = rows - (1 + presenceRows(view.presence) + 3 + 2 + 2 + 3) - dialogRows(view, step);
  const list = Math.max(3, Math.min(14, Math.floor(available * 0.4)));
  // Confirming: header, presence, message 2 and key help 3 around the dialog.
  const confirmWarnings = Math.max(1, rows - (1 + presenceRows(view.presence) + 2 + 3) - confirmFixedRows(step));
  // Failed certificate check: header, presence, the dialog's borders, title and key line, message 2, key help 3.
  const failedTable = Math.max(3, rows - (1 + presenceRows(view.presence) + 4 + 2 + 3) - (hasBackout(step) ? 1 : 0));
  return { list, view: Math.max(3, available - list), review: Math.max(3, rows - 10), overlay: Math.max(5, rows - 1 - 2 - 3), confirmWarnings, failedTable };
}
