// The wizard as `npm start` and the `collabsec` command run it: the esbuild bundle that
// `npm run build` writes (dist/bin/cli.js, scripts/bundle.ts; rebuilt by test/global-setup.ts),
// with ink, react and their chalk inside it. The other e2e files run a launcher bundled with every
// package left in node_modules, so only this file sees ink's bundled chalk obey NO_COLOR.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WRAPPER_HEAD } from '../../src/code-cache.js';
import { repo, Tmux, workspace } from './helpers.js';

/** One script of V8's precise coverage (NODE_V8_COVERAGE): each function with its call count first. */
interface Coverage {
  url: string;
  functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[];
}

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
  ])('draws its first frame, styled as NO_COLOR says (%s), without a grapheme Segmenter, and quits with 0', { timeout: 120_000 }, async (_name, noColor, coloured) => {
    const { dir, inventory } = await workspace();
    dirs.push(dir);
    const t = new Tmux(dir);
    terms.push(t);
    // The first frame needs no Intl.Segmenter and no \p{RGI_Emoji} regex (issue 25: ICU's break
    // data and that regex cost ~80 ms; scripts/bundle-plugins.ts, graphemeFastPathPlugin).
    const trace = path.join(dir, 'segmenters.txt');
    t.start(cli, ['run', '--inventory', inventory], { NO_COLOR: noColor, NODE_OPTIONS: `--import ${path.join(repo, 'test', 'e2e', 'fixtures-segmenter.mjs')}`, COLLABSEC_TRACE_FILE: trace });
    const screen = await t.waitFor('? help', 60_000);
    expect(screen).toMatch(/› \[ \] P001 /);
    expect(styled(t.styledScreen()), t.styledScreen()).toBe(coloured);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);
    const traced = (await fs.readFile(trace, 'utf8')).split('\n');
    expect(traced).toContain('TRACE-PRELOAD');
    expect(traced.filter((l) => l !== 'TRACE-PRELOAD' && l !== '')).toEqual([]);
  });

  // What the first frame may not wait for (issue 25, start-up): the certificate parser loads at the
  // first certificate check, execa with --live, the `yaml` library only to parse a role table the
  // build did not precompile (src/verify/cert/roles.ts, which requires it from node_modules), and
  // React is its production build; yoga's wasm is handed over as bytes, not read with fetch()
  // (which loads undici, scripts/bundle.ts). The wizard is one CommonJS file (dist/bin/wizard.cjs)
  // whose modules run when first imported, so what ran is read from V8's precise coverage of a run
  // that drew its first frame and quit: each bundled module is a function keyed by its path
  // (esbuild's __esm / __commonJS wrappers), called once when the module runs. The files and
  // packages the process loaded come from the module tracer (to a file: the TUI owns the
  // terminal); the bundle's metafile says which packages each of those files holds.
  it('draws its first frame without the certificate parser, execa, the prompts, yaml, fetch() or React\'s development build', { timeout: 120_000 }, async () => {
    const { dir, inventory } = await workspace();
    dirs.push(dir);
    const trace = path.join(dir, 'trace.txt');
    const coverage = path.join(dir, 'coverage');
    const t = new Tmux(dir);
    terms.push(t);
    // The young generation's size as the wizard exits (src/young-generation.ts: held at its first size).
    const newSpace = path.join(dir, 'new-space.txt');
    t.start(cli, ['run', '--inventory', inventory], { NODE_OPTIONS: `--import ${path.join(repo, 'test', 'plan', 'fixtures-trace.mjs')} --import ${path.join(repo, 'test', 'plan', 'fixtures-new-space.mjs')}`, COLLABSEC_TRACE_FILE: trace, NODE_V8_COVERAGE: coverage, NEW_SPACE_FILE: newSpace });
    await t.waitFor('? help', 60_000);
    t.send('q');
    await t.waitFor('[exit 0]', 30_000);

    const lines = (await fs.readFile(trace, 'utf8')).split('\n');
    expect(lines.filter((l) => l.startsWith('TRACE-FETCH '))).toEqual([]);
    const files = lines
      .filter((l) => l.startsWith('TRACE-LOAD '))
      .map((l) => path.relative(repo, fileURLToPath(l.slice('TRACE-LOAD '.length))).replaceAll('\\', '/'));
    expect(files).toContain('dist/bin/wizard.cjs');
    const meta = JSON.parse(readFileSync(path.join(repo, 'dist', 'bin', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = files.flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {}));
    // `yaml` is not in the bundle: it would come from node_modules (roles.ts requires it to parse).
    expect(lines.filter((l) => l === 'TRACE-IMPORT yaml' || l.startsWith('TRACE-IMPORT yaml/'))).toEqual([]);
    expect(inputs.filter((i) => /\.development\.js$/.test(i))).toEqual([]);

    // The file is the script V8 ran, wrapper and all (scripts/bundle.ts writes it wrapped), so an
    // offset into it is an offset of V8's coverage.
    const source = readFileSync(path.join(repo, 'dist', 'bin', 'wizard.cjs'), 'utf8');
    expect(source.startsWith(WRAPPER_HEAD)).toBe(true);
    const runs = await fs.readdir(coverage);
    const scripts = runs.flatMap((f) => (JSON.parse(readFileSync(path.join(coverage, f), 'utf8')) as { result: Coverage[] }).result);
    const wizard = scripts.find((r) => r.url.endsWith('/dist/bin/wizard.cjs'));
    expect(wizard, 'coverage of dist/bin/wizard.cjs').toBeDefined();
    /**
     * How often the wrapper of the bundled modules of `pkg` ran (undefined: the bundle has none).
     * esbuild keys a module by its real path from the package root: "node_modules/…", or
     * "../<checkout>/node_modules/…" in a git worktree whose node_modules links into another one.
     */
    const ran = (pkg: string): number | undefined => {
      const counts: number[] = [];
      for (const m of source.matchAll(new RegExp(`"(?:(?:\\.\\./)+[^"/]+/)?node_modules/${pkg.replace('/', '\\/')}/[^"]+"\\(`, 'g'))) {
        // V8 starts a wrapper's function at its key and names it by the key: the file's offsets
        // are the script's, so each key finds its own function, exactly there.
        const fn = wizard!.functions.find((f) => f.ranges[0]!.startOffset === m.index);
        expect(fn?.functionName, `the function at ${m[0]}`).toBe(m[0].slice(1, -2));
        counts.push(fn!.ranges[0]!.count);
      }
      return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
    };
    expect(ran('ink')).toBeGreaterThan(0); // the coverage and the wrappers are read right
    expect(ran('react-reconciler')).toBeGreaterThan(0);
    // A lazy package is bundled and its wrappers never ran, or is left to node_modules (the build's
    // WIZARD_LATER) and was never required.
    const imported = (pkg: string) => lines.filter((l) => l === `TRACE-IMPORT ${pkg}` || l.startsWith(`TRACE-IMPORT ${pkg}/`));
    for (const lazy of ['@peculiar/x509', 'asn1js', 'execa', '@inquirer/prompts', 'iconv-lite']) {
      expect(ran(lazy) ?? 0, lazy).toBe(0);
      expect(imported(lazy), lazy).toEqual([]);
    }
    // The certificate parser and the prompts are no longer in the file every start reads.
    expect(ran('@peculiar/x509')).toBeUndefined();
    expect(ran('@inquirer/prompts')).toBeUndefined();
    expect(ran('yaml') ?? 0, 'yaml (if a build bundles it)').toBe(0);
    // Held at 2 MB (two 1 MB semi-spaces); it grew to 16 MB before. Room for another V8's heuristics.
    expect(Number(await fs.readFile(newSpace, 'utf8'))).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  // What the wizard leaves to node_modules (scripts/bundle.ts, WIZARD_LATER) it requires when it
  // needs it: the password prompt of --live comes up (from @inquirer/prompts' CommonJS build), and
  // every name the bundle reads from each such package is there when required from dist/bin.
  it('asks for a missing --live password with the prompt package it left to node_modules', { timeout: 120_000 }, async () => {
    const { dir, inventory } = await workspace();
    dirs.push(dir);
    const trace = path.join(dir, 'trace.txt');
    const t = new Tmux(dir);
    terms.push(t);
    t.start(cli, ['run', '--inventory', inventory, '--live'], { COLLABSEC_VOS_PASSWORD: '', NODE_OPTIONS: `--import ${path.join(repo, 'test', 'plan', 'fixtures-trace.mjs')}`, COLLABSEC_TRACE_FILE: trace });
    await t.waitFor('vos password for administrator (COLLABSEC_VOS_PASSWORD is not set)', 60_000);
    t.send('C-c');
    await t.waitFor(/\[exit \d+\]/, 30_000);
    expect((await fs.readFile(trace, 'utf8')).split('\n')).toContain('TRACE-IMPORT @inquirer/prompts');
  });

  it('finds every name it reads from a package it left to node_modules in that package', () => {
    const bundle = path.join(repo, 'dist', 'bin', 'wizard.cjs');
    const source = readFileSync(bundle, 'utf8');
    const requireFrom = createRequire(bundle);
    const seen = new Set<string>();
    for (const pkg of ['@inquirer/prompts', '@peculiar/x509']) {
      const bindings = [...source.matchAll(new RegExp(`([\\w$]+)=require\\(${JSON.stringify(pkg).replace('/', '\\/')}\\)`, 'g'))].map((m) => m[1]!);
      expect(bindings.length, pkg).toBeGreaterThan(0);
      const exported = requireFrom(pkg) as Record<string, unknown>;
      for (const b of bindings)
        for (const m of source.matchAll(new RegExp(`(?<![\\w$.])${b.replace('$', '\\$')}\\.([\\w$]+)`, 'g'))) {
          seen.add(`${pkg} ${m[1]}`);
          expect(exported[m[1]!], `${pkg}: ${m[1]}`).toBeDefined();
        }
    }
    // The names the wizard uses (the check above found them, so it reads the bundle right).
    expect(seen).toContain('@inquirer/prompts password');
    expect(seen).toContain('@peculiar/x509 X509Certificate');
    expect(seen).toContain('@peculiar/x509 Pkcs10CertificateRequest');
  });
});
