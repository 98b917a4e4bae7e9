// A one-line text field. ink-text-input is not a dependency and the needs are small: printable
// characters append (a paste arrives as one chunk), Backspace deletes, Enter submits, Esc cancels.
// Control characters are dropped so a reason or note can never carry one into the journal.
import { Box, useInput } from 'ink';
import { Text } from './Text.js';
import { useRef, useState } from 'react';

export interface TextInputProps {
  label: string;
  /** Return false to reject the value: the field is cleared for another attempt. */
  onSubmit: (value: string) => boolean | void;
  onCancel: () => void;
  placeholder?: string;
  isActive?: boolean;
  /** Show one • per character (passwords); the value itself is never rendered. */
  mask?: boolean;
  /** The text the field starts with (a path given before, to keep or correct). */
  initial?: string;
  /** Tab: the field's new text for the text so far (path completion); without it Tab is ignored. */
  onTab?: (value: string) => string;
  /**
   * Read at each key: false while the field is mounted but not in use. A field kept mounted (and
   * so subscribed) ahead of its use takes the keys typed right after it is opened, which a field
   * mounted only then would miss until React re-subscribes.
   */
  accepts?: () => boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function TextInput({ label, onSubmit, onCancel, placeholder, isActive = true, mask = false, initial = '', onTab, accepts }: TextInputProps) {
  const start = initial.replace(CONTROL, '');
  const [value, setValue] = useState(start);
  // The ref is the source of truth: keys can arrive faster than React re-renders (a paste ending
  // in Enter, a loaded machine), and Enter must submit everything typed before it.
  const ref = useRef(start);
  const update = (v: string): void => {
    ref.current = v;
    setValue(v);
  };
  const submit = (): void => {
    if (onSubmit(ref.current) === false) update('');
  };
  useInput(
    (input, key) => {
      if (accepts !== undefined && !accepts()) return;
      if (key.return) return submit();
      if (key.escape) return onCancel();
      if (key.backspace || key.delete) return update(ref.current.slice(0, -1));
      if (key.tab && onTab !== undefined) return update(onTab(ref.current).replace(CONTROL, ''));
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
      const [text = '', ...rest] = input.split('\r');
      const clean = text.replace(CONTROL, '');
      if (clean !== '') update(ref.current + clean);
      if (rest.length > 0) submit();
    },
    { isActive },
  );
  return (
    <Box>
      <Text>{label} </Text>
      <Text color="cyan">{value === '' && placeholder !== undefined ? <Text dimColor>{placeholder}</Text> : mask ? '•'.repeat([...value].length) : value}</Text>
      <Text inverse> </Text>
    </Box>
  );
}
