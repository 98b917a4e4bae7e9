// A disruptive step asks for a typed word (always the step id), after the chapter's warnings and
// what it confirms (the nodes and the commands sent to them) are on screen: a reflexive "y"
// cannot start a mixed-mode change or a cluster restart.
import { Box } from 'ink';
import { Text } from './Text.js';
import { useState } from 'react';
import { TextInput } from './TextInput.js';
import type { RawBlock } from '../wizard/view-model.js';

/** Command lines shown per node before "… n more": the dialog must fit 80×24 with the list. */
const SHOWN = 3;

export interface TypedConfirmationProps {
  title: string;
  warnings: readonly string[];
  /** Rows for warnings (layout.ts): beyond them, one row says how many more the step view shows. */
  maxWarnings?: number;
  expected: string;
  /** What is confirmed: each node with the lines it is sent. */
  blocks?: readonly RawBlock[];
  onConfirm: (typed: string) => void;
  onCancel: () => void;
  isActive?: boolean;
}

export function TypedConfirmation({ title, warnings, maxWarnings = Infinity, expected, blocks = [], onConfirm, onCancel, isActive = true }: TypedConfirmationProps) {
  const shown = warnings.length > maxWarnings ? warnings.slice(0, Math.max(0, maxWarnings - 1)) : warnings;
  const hidden = warnings.length - shown.length;
  const [wrong, setWrong] = useState<string | undefined>();
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">
        Disruptive step: {title}
      </Text>
      {shown.map((w) => (
        <Text key={w} wrap="truncate-end">
          ! {w}
        </Text>
      ))}
      {hidden > 0 ? (
        <Text color="yellow" wrap="truncate-end">
          ! … {hidden} more warning{hidden === 1 ? '' : 's'}: Esc goes back to the step, which shows them all
        </Text>
      ) : null}
      {blocks.length > 0 ? (
        <Text wrap="truncate-end">
          Sends to {blocks.map((b) => b.target).join(', ')}:
        </Text>
      ) : null}
      {blocks.slice(0, 1).flatMap((b) =>
        b.lines.slice(0, SHOWN).map((l, i) => (
          <Text key={`${b.target}-${i}`} color="cyan" wrap="truncate-end">
            {'  '}
            {l}
          </Text>
        )),
      )}
      {(() => {
        const more = blocks.reduce((n, b) => n + b.lines.length, 0) - Math.min(SHOWN, blocks[0]?.lines.length ?? 0);
        return more > 0 ? <Text dimColor>  … {more} more line{more === 1 ? '' : 's'} in the step above (PgUp/PgDn)</Text> : null;
      })()}
      <Text>
        To go on, type <Text bold>{expected}</Text> and press Enter (Esc to go back).
      </Text>
      {wrong !== undefined ? <Text color="red">&quot;{wrong}&quot; is not &quot;{expected}&quot;.</Text> : null}
      <TextInput
        label="Confirm:"
        isActive={isActive}
        onCancel={onCancel}
        onSubmit={(typed) => {
          if (typed.trim() !== expected) {
            setWrong(typed);
            return false; // cleared, so the next attempt starts empty
          }
          onConfirm(typed.trim());
        }}
      />
    </Box>
  );
}
