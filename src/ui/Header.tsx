// The wizard's first row: which rollout, which session, and above all which mode. A live run is
// marked in its own style at the start of the row (red, inverse, bold), where neither a narrow
// terminal nor a long title can push it out of sight; without colour (NO_COLOR) the capital
// LIVE and its brackets still set it apart. A rehearsal is said dimly at the end (a narrow
// terminal wraps the row rather than cut the mode off).
import { Text } from './Text.js';

export interface HeaderProps {
  title: string;
  session: string;
  /** "rehearsal (nothing is sent)" or "LIVE (SSH)". */
  modeLabel: string;
  /** Commands are sent to devices: the label gets the live style and goes first. */
  live?: boolean;
}

export function Header({ title, session, modeLabel, live = false }: HeaderProps) {
  if (live)
    return (
      <Text wrap="truncate-end">
        <Text bold inverse color="red">{`[ ${modeLabel} ]`}</Text> <Text bold>collabsec</Text> · {title} · session {session}
      </Text>
    );
  return (
    <Text>
      <Text bold>collabsec</Text> · {title} · session {session} · <Text dimColor>{modeLabel}</Text>
    </Text>
  );
}
