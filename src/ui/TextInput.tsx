// A one-line text field. ink-text-input is not a dependency and the needs are small: printable
// characters append (a paste arrives as one chunk), Backspace deletes, Enter submits, Esc cancels.
// Control characters are dropped so a reason or note can never carry one into the journal.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

export interface TextInputProps {
  label: string;
  onSubmit: (value: string) => void;
  onCancel: () => void;
  placeholder?: string;
  isActive?: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function TextInput({ label, onSubmit, onCancel, placeholder, isActive = true }: TextInputProps) {
  const [value, setValue] = useState('');
  useInput(
    (input, key) => {
      if (key.return) return onSubmit(value);
      if (key.escape) return onCancel();
      if (key.backspace || key.delete) return setValue((v) => v.slice(0, -1));
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
      const clean = input.replace(CONTROL, '');
      if (clean !== '') setValue((v) => v + clean);
    },
    { isActive },
  );
  return (
    <Box>
      <Text>{label} </Text>
      <Text color="cyan">{value === '' && placeholder !== undefined ? <Text dimColor>{placeholder}</Text> : value}</Text>
      <Text inverse> </Text>
    </Box>
  );
}
