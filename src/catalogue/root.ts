// Where steps/ and templates/ live: the package root, found by walking up from this module
// (the same code runs from src/ under vitest and from dist/src/ when installed).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'steps', 'products.yaml')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the collabsec package root (steps/products.yaml)');
    dir = up;
  }
}
