// The wizard's first row: which mode, which session, which rollout — always one row (the layout
// budgets one; a wrapped header would push the frame past the terminal's last row). The mode
// comes before the title, which is cut first on a narrow terminal. A live run is marked in its
// own style at the start of the row (red, inverse, bold); without colour (NO_COLOR) the capital
// LIVE and its brackets still set it apart. A rehearsal is said dimly.
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
        <Text bold inverse color="red">{`[ ${modeLabel} ]`}</Text> <Text bold>collabsec</Text> · session {session} · {title}
      </Text>
    );
  return (
    <Text wrap="truncate-end">
      <Text bold>collabsec</Text> · <Text dimColor>{modeLabel}</Text> · session {session} · {title}
    </Text>
  );
}
