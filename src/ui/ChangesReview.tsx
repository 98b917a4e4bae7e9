// Shown when the inventory or catalogue changed since the session began: which steps' rendered
// commands changed (flagging those already verified with the old commands), which were added or
// removed. Nothing proceeds until the operator accepts the new plan.
import { Box } from 'ink';
import { Text } from './Text.js';
import type { PlanDiff } from '../session/index.js';

export function ChangesReview({ diff, maxRows = 20 }: { diff: PlanDiff; maxRows?: number }) {
  // Steps done with the old commands matter most: they come first, and a long list is cut.
  const changed = [...diff.changed].sort((a, b) => Number(b.flagged) - Number(a.flagged));
  const shown = changed.slice(0, changed.length > maxRows ? maxRows - 1 : maxRows);
  const what = [diff.inventoryChanged ? 'The inventory' : undefined, diff.catalogueChanged ? 'the step catalogue' : undefined].filter(Boolean).join(' and ').replace(/^the/, 'The');
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">
        {what || 'The plan'} changed since this session began
      </Text>
      {diff.changed.length === 0 ? <Text>No recorded step&apos;s commands changed.</Text> : <Text>Steps whose commands changed:</Text>}
      {shown.map((c) => (
        <Text key={c.id} color={c.flagged ? 'yellow' : undefined}>
          {'  '}
          {c.id} {c.title} ({c.status}){c.flagged ? ' — done with the OLD commands: re-check it' : ''}
        </Text>
      ))}
      {shown.length < changed.length ? <Text>  … and {changed.length - shown.length} more</Text> : null}
      {diff.added.length > 0 ? <Text>New steps: {diff.added.join(', ')}</Text> : null}
      {diff.removed.length > 0 ? <Text>No longer in the plan (history kept): {diff.removed.join(', ')}</Text> : null}
      <Text>
        <Text bold>a</Text> accept the new plan and go on · <Text bold>q</Text> quit without changing the session
      </Text>
    </Box>
  );
}
