// Shown when the inventory or catalogue changed since the session began: which steps' rendered
// commands changed (flagging those already verified with the old commands), which were added or
// removed. Nothing proceeds until the operator accepts the new plan.
import { Box } from 'ink';
import { Text } from './Text.js';
import type { PlanDiff } from '../session/index.js';

/** Changed lines shown under one step before "… N more changed lines". */
const DIFF_LINES_PER_STEP = 4;

type Row = { key: string; text: string; color?: 'yellow' | 'red' | 'green'; dim?: boolean; header?: boolean };

/**
 * Each changed step, then what changed in its lines (- old, + new), within `maxRows` rows: steps
 * done with the old commands first; a step's diff is cut to DIFF_LINES_PER_STEP lines, the list
 * to the rows there are.
 */
function changedRows(diff: PlanDiff, maxRows: number): Row[] {
  const changed = [...diff.changed].sort((a, b) => Number(b.flagged) - Number(a.flagged));
  const rows: Row[] = [];
  for (const [n, c] of changed.entries()) {
    const lines = c.diff === undefined ? [] : c.diff.length === 0 ? undefined : c.diff;
    const body: Row[] = [];
    if (lines === undefined) body.push({ key: `${c.id}-same`, text: '      same lines; its checkpoint or device dialogue changed', dim: true });
    else {
      for (const [i, d] of lines.slice(0, DIFF_LINES_PER_STEP).entries()) body.push({ key: `${c.id}-${i}`, text: `    ${d.op} ${d.line}`, color: d.op === '-' ? 'red' : 'green' });
      if (lines.length > DIFF_LINES_PER_STEP) body.push({ key: `${c.id}-more`, text: `      … ${lines.length - DIFF_LINES_PER_STEP} more changed lines (collabsec status --json lists them)`, dim: true });
    }
    const head: Row = { key: c.id, header: true, text: `  ${c.id} ${c.title} (${c.status})${c.flagged ? ' — done with the OLD commands: re-check it' : ''}`, ...(c.flagged ? { color: 'yellow' as const } : {}) };
    const left = changed.length - n - 1;
    // Room for this step's header and a closing "… and N more" line when steps remain.
    const room = maxRows - rows.length - (left > 0 ? 1 : 0);
    if (room < 1) {
      rows.push({ key: 'more', text: `  … and ${changed.length - n} more` });
      break;
    }
    rows.push(head, ...body.slice(0, room - 1));
  }
  return rows;
}

export function ChangesReview({ diff, maxRows = 20 }: { diff: PlanDiff; maxRows?: number }) {
  const rows = changedRows(diff, maxRows);
  const what = [diff.inventoryChanged ? 'The inventory' : undefined, diff.catalogueChanged ? 'the step catalogue' : undefined].filter(Boolean).join(' and ').replace(/^the/, 'The');
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">
        {what || 'The plan'} changed since this session began
      </Text>
      {diff.changed.length === 0 ? <Text>No recorded step&apos;s commands changed.</Text> : <Text>Steps whose commands changed (- before, + now):</Text>}
      {rows.map((r) => (
        // A diff line is cut at the edge (one row each); a step's header wraps, so its warning is never cut off.
        <Text key={r.key} color={r.color} dimColor={r.dim} wrap={r.header ? 'wrap' : 'truncate-end'}>
          {r.text}
        </Text>
      ))}
      {diff.added.length > 0 ? <Text>New steps: {diff.added.join(', ')}</Text> : null}
      {diff.removed.length > 0 ? <Text>No longer in the plan (history kept): {diff.removed.join(', ')}</Text> : null}
      <Text>
        <Text bold>a</Text> accept the new plan and go on · <Text bold>q</Text> quit without changing the session
      </Text>
    </Box>
  );
}
