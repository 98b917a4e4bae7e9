// A fixed-height window over content taller than the terminal (a step with four nodes and their
// dialogues): ink redraws the whole screen when a frame is taller than the terminal, which
// would push the step list and the key help off screen. The content is measured after layout
// and shifted up by `offset` rows inside a clipped box.
import { Box, measureElement, type DOMElement } from 'ink';
import { Text } from './Text.js';
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ScrollBoxProps {
  height: number;
  offset: number;
  /** Told the number of rows hidden below the window, so the owner can clamp its offset. */
  onMeasure?: (contentHeight: number) => void;
  children: ReactNode;
}

export function ScrollBox({ height, offset, onMeasure, children }: ScrollBoxProps) {
  const inner = useRef<DOMElement>(null);
  const [content, setContent] = useState(0);
  useEffect(() => {
    if (!inner.current) return;
    const h = measureElement(inner.current).height;
    if (h !== content) {
      setContent(h);
      onMeasure?.(h);
    }
  });
  // The window has a fixed height from the first frame on: content is only measured after a
  // frame is drawn, and one frame taller than the terminal leaves garbage on screen.
  const view = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(offset, content - view));
  const below = Math.max(0, content - top - view);
  return (
    <Box flexDirection="column">
      <Box height={view} overflowY="hidden" flexDirection="column">
        <Box ref={inner} flexDirection="column" flexShrink={0} marginTop={-top}>
          {children}
        </Box>
      </Box>
      <Text dimColor>
        {top > 0 ? `↑ ${top} rows above · ` : ''}
        {below > 0 ? `↓ ${below} rows below · ` : ''}
        {top > 0 || below > 0 ? 'PgUp/PgDn scroll' : ' '}
      </Text>
    </Box>
  );
}
