// The one place the TUI puts text on screen. Every string child is passed through the issue-19
// sanitizer (escape sequences, C0/C1 controls, bidi overrides and zero-width characters removed),
// so a step title, a journal note or user, a device line or an error message can neither drive
// the terminal nor reorder or hide what the operator reads. Line breaks and tabs stay as ink
// lays them out. src/ui imports Text from here, never from ink (test/ui/clean-text.test.tsx).
import { Text as InkText, type TextProps } from 'ink';
import { createElement, type ReactNode } from 'react';
import { stripControls } from '../text/controls.js';

/** Strings cleaned; arrays walked (their elements keep their keys); elements render themselves. */
export function clean(node: ReactNode): ReactNode {
  if (typeof node === 'string') return stripControls(node);
  if (Array.isArray(node)) return node.map((n: ReactNode) => clean(n));
  return node;
}

export function Text({ children, ...props }: TextProps) {
  // Spread, so JSX's static children stay static (no key warnings for mixed text).
  const kids: ReactNode[] = Array.isArray(children) ? (children as ReactNode[]).map(clean) : [clean(children)];
  return createElement(InkText, props, ...kids);
}
