// A disruptive step asks for a typed word (the publisher's name), after the chapter's warnings
// are on screen: a reflexive "y" cannot start a mixed-mode change or a cluster restart.
import { Box } from 'ink';
import { Text } from './Text.js';
import { useState } from 'react';
import { TextInput } from './TextInput.js';

export interface TypedConfirmationProps {
  title: string;
  warnings: readonly string[];
  expected: string;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
  isActive?: boolean;
}

export function TypedConfirmation({ title, warnings, expected, onConfirm, onCancel, isActive = true }: TypedConfirmationProps) {
  const [wrong, setWrong] = useState<string | undefined>();
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
      <Text bold color="yellow">
        Disruptive step: {title}
      </Text>
      {warnings.map((w) => (
        <Text key={w}>! {w}</Text>
      ))}
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
