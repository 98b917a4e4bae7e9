// Render helpers owned by the project (as Shopify and gemini-cli wrap ink-testing-library):
// frames are compared unstyled, and keys are delivered one write at a time with a tick between
// them so ink's input handler sees each as a separate key press.
import { stripVTControlCharacters } from 'node:util';

export const keys = { enter: '\r', escape: '\u001B', backspace: '\u007F', up: '\u001B[A', down: '\u001B[B' } as const;

export const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '');
}

export async function type(stdin: { write(data: string): void }, ...chunks: string[]): Promise<void> {
  for (const c of chunks) {
    stdin.write(c);
    await tick();
  }
}

/** Polls until `check` holds (a loaded machine re-renders late); fails with the last frame. */
export async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(10);
  }
}
