// The keys that work right now, always on screen: the operator never has to guess or remember.
import { Box } from 'ink';
import { Text } from './Text.js';

export type KeyBinding = readonly [key: string, label: string];

export function KeyHelp({ keys }: { keys: readonly KeyBinding[] }) {
  return (
    <Box borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false} flexWrap="wrap" columnGap={2}>
      {keys.map(([key, label]) => (
        <Text key={key}>
          <Text bold>{key}</Text> {label}
        </Text>
      ))}
    </Box>
  );
}
