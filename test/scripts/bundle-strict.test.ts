// The shipped files run our modules in strict mode, as the tests do (scripts/bundle.ts says why).
// A "use strict" directive counts only before any other statement of its script or function; the
// build once put it after the banner's `var`, where it did nothing, so the bundles ran sloppy (the
// wizard's had none at all). Read on the build test/global-setup.ts makes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WRAPPER_HEAD } from '../../src/code-cache.js';

const bin = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'bin');
const head = (file: string) => readFileSync(join(bin, file), 'utf8').slice(0, 4096);

describe('strict mode in the bundles', () => {
  it('the launcher: "use strict" is the first statement after the hashbang', () => {
    const [hashbang, first] = head('cli.js').split('\n', 2);
    expect(hashbang).toBe('#!/usr/bin/env node');
    expect(first!.startsWith('"use strict";')).toBe(true);
  });

  it.each(['plan.cjs', 'wizard.cjs'])('%s: "use strict" opens the body of the CommonJS wrapper', (file) => {
    const text = head(file);
    expect(text.startsWith(WRAPPER_HEAD)).toBe(true);
    expect(text.slice(WRAPPER_HEAD.length).startsWith('"use strict";')).toBe(true);
  });
});
