// collabsec's own version, from its package.json: the one reader for `--version` and the evidence
// pack's versions line (packageRoot finds the package from src/ under vitest and from dist/src/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './catalogue/root.js';

export function collabsecVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
