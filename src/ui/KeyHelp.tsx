// The keys that work right now, always on screen: the operator never has to guess or remember.
// `?` opens the full list of the screen's keys (KeyOverlay), each with what it does.
import { Box } from 'ink';
import { Text } from './Text.js';

/** A key, what it does, and whether it is listed in the `?` help only (not in the key bar). */
export type KeyBinding = readonly [key: string, label: string, helpOnly?: boolean];

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

/** The `?` help: every key live on this screen, one a line, in two columns where the width allows. */
export function KeyOverlay({ title, keys, height }: { title: string; keys: readonly KeyBinding[]; height: number }) {
  const width = Math.max(...keys.map(([k]) => k.length));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height}>
      <Text bold>Keys on this screen · {title}</Text>
      <Box flexWrap="wrap" columnGap={2}>
        {keys
          .filter(([k]) => k !== '')
          .map(([key, label]) => (
            <Box key={key} width={36}>
              <Text wrap="truncate-end">
                <Text bold>{key.padEnd(width)}</Text> {label}
              </Text>
            </Box>
          ))}
      </Box>
      <Text dimColor>? or Esc closes this help.</Text>
    </Box>
  );
}
