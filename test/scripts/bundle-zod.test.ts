// Every schema collabsec builds is a zod/mini schema (src/zod.ts says why): importing
// zod's classic API at all runs its module initialisation, ~115 page faults and ~2 ms of each
// start on the bench VM (issue 25), and one stray `import * as z from 'zod'` brings it back
// without failing anything else. A namespace of zod/mini re-exported from a shared module keeps
// every locale in the bundle instead (the plan bundle grew 360 → 796 KB). Both show in esbuild's
// metafile (dist/bin/meta.json, written by scripts/bundle.ts): read here, on the build
// test/global-setup.ts makes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** zod's modules in each output file, as paths below zod's package folder (`v4/core/api.js`). */
function zodInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(`${root}/dist/bin/meta.json`, 'utf8')) as { outputs: Record<string, { inputs?: Record<string, unknown> }> };
  const out = new Map<string, string[]>();
  for (const [file, o] of Object.entries(meta.outputs)) {
    out.set(
      file,
      Object.keys(o.inputs ?? {}).flatMap((i) => {
        const m = /node_modules\/zod\/(?!.*node_modules\/)(.*)$/.exec(i.replaceAll('\\', '/'));
        return m ? [m[1]!] : [];
      }),
    );
  }
  return out;
}

/**
 * A locale's messages (`v4/locales/de.js`). Not the index that lists them: where esbuild wraps
 * modules for lazy initialisation (the wizard) it keeps the index's empty wrapper, no locale in it.
 */
const isLocale = (i: string): boolean => i.startsWith('v4/locales/') && i !== 'v4/locales/index.js';

describe('zod in the bundles', () => {
  const zod = zodInputs();

  it.each(['dist/bin/plan.cjs', 'dist/bin/wizard.cjs'])('%s has zod/mini and core, and nothing of classic', (file) => {
    const inputs = zod.get(file);
    expect(inputs, file).toBeDefined();
    // The metafile names zod's files as this test reads them (else the checks below prove nothing).
    expect(inputs!.some((i) => i.startsWith('v4/mini/'))).toBe(true);
    expect(inputs!.some((i) => i.startsWith('v4/core/'))).toBe(true);
    expect(inputs!.filter((i) => i.startsWith('v4/classic/'))).toEqual([]);
    expect(inputs!.filter(isLocale)).toEqual(['v4/locales/en.js']);
  });

  it('no output file holds classic or a locale but en', () => {
    const found = [...zod].flatMap(([file, inputs]) => inputs.filter((i) => i.startsWith('v4/classic/') || (isLocale(i) && i !== 'v4/locales/en.js')).map((i) => `${file}: ${i}`));
    expect(found).toEqual([]);
  });
});
