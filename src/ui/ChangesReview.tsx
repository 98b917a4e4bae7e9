// Shown when the inventory or catalogue changed since the session began: which steps' rendered
// commands changed (flagging those already verified with the old commands), which were added or
// removed. Nothing proceeds until the operator accepts the new plan.
import { Box, Text } from 'ink';
import type { PlanDiff } from '../session/index.js';

export function ChangesReview({ diff }: { diff: PlanDiff }) {
  const what = [diff.inventoryChanged ? 'the inventory' : undefined, diff.catalogueChanged ? 'the step catalogue' : undefined].filter(Boolean).join(' and ');
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">
        {what || 'The plan'} changed since this session began
      </Text>
      {diff.changed.length === 0 ? <Text>No recorded step&apos;s commands changed.</Text> : <Text>Steps whose commands changed:</Text>}
      {diff.changed.map((c) => (
        <Text key={c.id} color={c.flagged ? 'yellow' : undefined}>
          {'  '}
          {c.id} {c.title} ({c.status}){c.flagged ? ' — was done with the OLD commands: check it again' : ''}
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
