// Steps grouped by product with a status mark each, overall and per-product progress. Long plans
// are shown through a window that follows the cursor, so the list never pushes the current step
// and the key help off a small terminal.
import { Box } from 'ink';
import { Text } from './Text.js';
import type { Plan } from '../plan/types.js';
import { stepStatus, type Progress, type SessionState } from '../session/index.js';
import { displayStatus, groupByProduct, statusMark } from '../wizard/view-model.js';
import { statusColor } from './status-style.js';

export interface StepListProps {
  plan: Plan;
  state: SessionState;
  progress: Progress;
  cursor: string;
  flagged?: readonly string[];
  /** Products shown as their heading line only (z). */
  collapsed?: readonly string[];
  /** Steps another operator holds now → who, marked after the step id (before the title, which may be cut). */
  claimed?: Readonly<Record<string, string>>;
  /** Maximum rows for the list body (group headings included). */
  height?: number;
}

type Row = { kind: 'group'; product: string; done: number; total: number; folded: boolean; selected: boolean } | { kind: 'step'; id: string; title: string };

export function StepList({ plan, state, progress, cursor, flagged = [], collapsed = [], claimed = {}, height = 14 }: StepListProps) {
  const rows: Row[] = [];
  for (const g of groupByProduct(plan)) {
    const p = progress.byProduct.find((x) => x.product === g.product);
    const folded = collapsed.includes(g.product);
    // A collapsed product is one line; the cursor on any of its steps stands on that line.
    rows.push({ kind: 'group', product: g.product, done: p?.done ?? 0, total: p?.total ?? g.steps.length, folded, selected: folded && g.steps.some((s) => s.id === cursor) });
    if (!folded) for (const s of g.steps) rows.push({ kind: 'step', id: s.id, title: s.title });
  }
  const at = Math.max(0, rows.findIndex((r) => (r.kind === 'step' && r.id === cursor) || (r.kind === 'group' && r.selected)));
  const start = Math.max(0, Math.min(at - Math.floor(height / 2), rows.length - height));
  const visible = rows.slice(start, start + height);
  return (
    <Box flexDirection="column">
      <Text bold>
        Progress {progress.done}/{progress.total}
        {progress.byStatus.interrupted > 0 ? <Text color="yellow"> · {progress.byStatus.interrupted} interrupted</Text> : null}
        {progress.byStatus.failed > 0 ? <Text color="red"> · {progress.byStatus.failed} failed</Text> : null}
      </Text>
      {start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
      {visible.map((r) => {
        if (r.kind === 'group')
          return (
            <Text key={`g-${r.product}`} bold inverse={r.selected}>
              {r.selected ? '› ' : ''}
              {r.product} {r.done}/{r.total}
              {r.folded ? ` ▸ ${r.total} ${r.total === 1 ? 'step' : 'steps'} hidden (z shows them)` : ''}
            </Text>
          );
        const st = displayStatus(stepStatus(state, r.id));
        const selected = r.id === cursor;
        return (
          <Text key={r.id} wrap="truncate-end" inverse={selected}>
            {selected ? '› ' : '  '}
            <Text color={statusColor[st]}>{statusMark[st]}</Text> {r.id}
            {claimed[r.id] !== undefined ? <Text color="cyan">{` · ${claimed[r.id]}`}</Text> : null} {r.title}
            {flagged.includes(r.id) ? <Text color="yellow"> (commands changed since verified)</Text> : null}
          </Text>
        );
      })}
      {start + height < rows.length ? <Text dimColor>  ↓ {rows.length - start - height} more</Text> : null}
    </Box>
  );
}
