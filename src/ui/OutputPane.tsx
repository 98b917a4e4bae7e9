// The device-output pane (t): the step's device output as it arrives while its command is in
// flight, then the part of each node's transcript the step wrote. One terminal row per device
// line (long lines are cut at the edge, never wrapped into two); the window follows the end
// unless scrolled back. Renders the controller's OutputView only: no reading, no state of its own.
import { Box } from 'ink';
import type { OutputView } from '../wizard/types.js';
import { Text } from './Text.js';

export interface OutputPaneProps {
  stepId: string;
  /** Undefined until the controller has read it. */
  output: OutputView | undefined;
  /** Rows for the lines. */
  height: number;
  /** Lines scrolled back from the end (0: the end, following new output). */
  back: number;
}

/** The first line of the window: `back` lines up from the end, clamped to the lines there are. */
export function outputWindow(total: number, height: number, back: number): { from: number; back: number } {
  const maxBack = Math.max(0, total - height);
  const b = Math.min(Math.max(0, back), maxBack);
  return { from: Math.max(0, total - height - b), back: b };
}

export function OutputPane({ stepId, output, height, back }: OutputPaneProps) {
  const lines = output?.lines ?? [];
  const w = outputWindow(lines.length, height, back);
  const shown = lines.slice(w.from, w.from + height);
  const where = output === undefined ? 'reading…' : output.source === 'live' ? 'live, as the device prints it' : 'last transcript';
  // At most four rows of paths (the App counts them in the frame's height).
  const all = output?.files ?? [];
  const files = all.length > 4 ? all.slice(0, 3) : all;
  const more = all.length - files.length;
  const position = lines.length > height ? ` · lines ${w.from + 1}–${w.from + shown.length} of ${lines.length}` : '';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Device output · {stepId} · {where}
        {position}
      </Text>
      <Box flexDirection="column" height={height}>
        {shown.length === 0 && output !== undefined ? <Text dimColor>(nothing yet)</Text> : null}
        {shown.map((l, i) => (
          <Text key={w.from + i} wrap="truncate-end">
            {l === '' ? ' ' : l}
          </Text>
        ))}
      </Box>
      {output?.note !== undefined ? (
        <Text color="yellow" wrap="truncate-end">
          {output.note}
        </Text>
      ) : null}
      {files.map((f) => (
        <Text key={f} dimColor wrap="truncate-end">
          transcript: {f}
        </Text>
      ))}
      {more > 0 ? (
        <Text dimColor wrap="truncate-end">
          and {more} more transcript{more > 1 ? 's' : ''} beside them
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        ↑/↓ PgUp/PgDn scroll · End follows · t or Esc closes
      </Text>
    </Box>
  );
}
