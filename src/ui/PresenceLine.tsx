// Who else works on this session now (issue 24), under the header: one line, cut at the
// terminal's edge, and no line at all when no one else is there. What it says is the
// controller's (wizard/presence-poll.ts); this only draws it.
import { Text } from './Text.js';
import type { PresenceView } from '../wizard/types.js';

/** Rows the line takes: the layout budgets it. */
export function presenceRows(p: PresenceView | undefined): number {
  return p?.line !== undefined || p?.problem !== undefined ? 1 : 0;
}

export function PresenceLine({ presence: p }: { presence: PresenceView | undefined }) {
  if (p === undefined || presenceRows(p) === 0) return null;
  if (p.line === undefined) return <Text dimColor wrap="truncate-end">{`who else is here is unknown: ${p.problem ?? ''}`}</Text>;
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{p.line}</Text>
      {p.problem !== undefined ? <Text dimColor>{` (not refreshed: ${p.problem})`}</Text> : null}
    </Text>
  );
}
