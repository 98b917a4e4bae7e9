// The wizard as `npm start` and the `collabsec` command run it: the esbuild bundle that
// `npm run build` writes (dist/bin/cli.js, scripts/bundle.ts; rebuilt by test/global-setup.ts),
// with ink, react and their chalk inside it. The other e2e files run a launcher bundled with every
// package left in node_modules, so only this file sees ink's bundled chalk obey NO_COLOR.
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repo, Tmux, workspace } from './helpers.js';

const cli = path.join(repo, 'dist', 'bin', 'cli.js');
const terms: Tmux[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(terms.map((t) => t.kill()));
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

// Any style in tmux's capture (bold, dim, inverse, a colour): an SGR sequence with a parameter
// other than a reset (0) or the default colours (39, 49), which tmux writes on any screen.
const styled = (screen: string): boolean => [...screen.matchAll(/\u001b\[([0-9;]*)m/g)].some((m) => m[1]!.split(';').some((p) => !['', '0', '39', '49'].includes(p)));

describe('the bundled collabsec run', () => {
  it.each([
    ['NO_COLOR=1', '1', false],
    ['NO_COLOR unset', '', true],
  ])('draws its first frame, styled as NO_COLOR says (%s), and quits with 0', { timeout: 120_000 }, async (_name, noColor, coloured) => {
    const { dir, inventory } = await workspace();
    dirs.push(dir);
    const t = new Tmux(dir);
    terms.push(t);
    t.start(cli, ['run', '--inventory', inventory], { NO_COLOR: noColor });
    const screen = await t.waitFor('? help', 60_000);
    expect(screen).toMatch(/› \[ \] P001 /);
    expect(styled(t.styledScreen()), t.styledScreen()).toBe(coloured);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
  });

  // What the first frame may not wait for (issue 25, start-up): the certificate parser loads at the
  // first certificate check, execa with --live, the `yaml` library only to parse a role table the
  // build did not precompile (src/verify/cert/roles.ts), and React is its production build; yoga's wasm is
  // handed over as bytes, not read with fetch() (which loads undici, scripts/bundle.ts). Read from the
  // files the process loaded (the module tracer, to a file: the TUI owns the terminal) and the
  // bundle's metafile, which says which packages each of those files holds.
  it('draws its first frame without the certificate parser, execa, yaml, fetch() or React\'s development build', { timeout: 120_000 }, async () => {
    const { dir, inventory } = await workspace();
    dirs.push(dir);
    const trace = path.join(dir, 'trace.txt');
    const t = new Tmux(dir);
    terms.push(t);
    t.start(cli, ['run', '--inventory', inventory], { NODE_OPTIONS: `--import ${path.join(repo, 'test', 'plan', 'fixtures-trace.mjs')}`, COLLABSEC_TRACE_FILE: trace });
    await t.waitFor('? help', 60_000);
    const lines = (await fs.readFile(trace, 'utf8')).split('\n');
    expect(lines.filter((l) => l.startsWith('TRACE-FETCH '))).toEqual([]);
    const files = lines
      .filter((l) => l.startsWith('TRACE-LOAD '))
      .map((l) => path.relative(repo, fileURLToPath(l.slice('TRACE-LOAD '.length))).replaceAll('\\', '/'));
    const meta = JSON.parse(readFileSync(path.join(repo, 'dist', 'bin', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = files.flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {}));
    const inside = (pkg: string) => inputs.some((i) => i.includes(`node_modules/${pkg}/`));
    expect(inside('ink') && inside('react-reconciler')).toBe(true); // the tracer and the metafile work
    for (const lazy of ['@peculiar/x509', 'asn1js', 'execa', 'yaml']) expect(inside(lazy), lazy).toBe(false);
    // Nor from node_modules (roles.ts requires it there when it parses).
    expect(lines.filter((l) => l === 'TRACE-IMPORT yaml' || l.startsWith('TRACE-IMPORT yaml/'))).toEqual([]);
    expect(inputs.filter((i) => /\.development\.js$/.test(i))).toEqual([]);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
  });
});
