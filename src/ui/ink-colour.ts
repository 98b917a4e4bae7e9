// NO_COLOR in the TUI. ink draws every style through its own copy of chalk, which decides its
// colour level once, when it is first loaded (from FORCE_COLOR and the terminal), and never looks
// at NO_COLOR. That copy is found the way ink itself finds it (resolved from ink's own folder),
// so the module instance is ink's, however the CLI was loaded or bundled, and its level is set.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { bundledInkChalk } from './ink-chalk.js';

interface ChalkLike {
  level: number;
}

/** ink's chalk; undefined when it cannot be found (then nothing is changed). */
async function inksChalk(): Promise<ChalkLike | undefined> {
  if (bundledInkChalk !== undefined) return bundledInkChalk;
  try {
    const inkEntry = createRequire(import.meta.url).resolve('ink');
    const chalkPath = createRequire(inkEntry).resolve('chalk');
    const mod = (await import(pathToFileURL(chalkPath).href)) as { default?: ChalkLike };
    return mod.default;
  } catch {
    return undefined;
  }
}

/** No colours or other styles in what ink draws from now on (level 0: plain text). */
export async function inkColourOff(): Promise<boolean> {
  const chalk = await inksChalk();
  if (chalk === undefined || typeof chalk.level !== 'number') return false;
  chalk.level = 0;
  return true;
}
