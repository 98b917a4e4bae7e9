// ink's frame output as the wizard bundle patches it (scripts/bundle-plugins.ts, inkOutputPlugin,
// issue 25): the patched Output and @alcalzone/ansi-tokenize must give exactly what the modules in
// node_modules give. Both are loaded side by side (the patched ones bundled by esbuild with the
// plugin, the originals imported as they are) and compared on thousands of random frames: plain,
// styled (SGR, compound and 256/true colour codes, resets, OSC 8 links), wide characters, lines
// written over each other, clips in one or both directions, and a styling transformer. In `system`
// (vitest.config.ts): esbuild runs as a child process.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphemeFastPathPlugin, inkOutputPlugin } from '../../scripts/bundle-plugins.js';
import { seededBelow } from '../seeded-random.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
const nm = (p: string): string => realpathSync(path.join(repo, 'node_modules', p));
const OUTPUT = nm('ink/build/output.js');
const TOKENIZE = nm('@alcalzone/ansi-tokenize/build/index.js');

interface StyledChar {
  value: string;
  styles: unknown[];
}
interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}
interface OutputLike {
  write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
  clip(clip: Clip): void;
  unclip(): void;
  get(): { output: string; height: number };
}
interface Modules {
  Output: new (o: { width: number; height: number }) => OutputLike;
  tokenize: (s: string) => unknown[];
  styledCharsFromTokens: (tokens: unknown[]) => StyledChar[];
  styledCharsToString: (chars: StyledChar[]) => string;
}

let dir: string;
let patched: Modules;
let original: Modules;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ink-output-'));
  const outfile = path.join(dir, 'patched.mjs');
  await build({
    stdin: {
      contents: `export { default as Output } from ${JSON.stringify(OUTPUT)};\nexport { tokenize, styledCharsFromTokens, styledCharsToString } from ${JSON.stringify(TOKENIZE)};`,
      resolveDir: repo,
      sourcefile: 'entry.js',
    },
    bundle: true, platform: 'node', target: 'node20', format: 'esm', outfile, logLevel: 'warning',
    // Both patches, as the wizard bundle has them: the tokenizer's shared tokens meet these characters.
    plugins: [inkOutputPlugin, graphemeFastPathPlugin],
  });
  patched = (await import(pathToFileURL(outfile).href)) as Modules;
  const t = (await import(pathToFileURL(TOKENIZE).href)) as Modules;
  original = { ...t, Output: ((await import(pathToFileURL(OUTPUT).href)) as { default: Modules['Output'] }).default };
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SGR = ['\u001b[31m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[2m', '\u001b[1;3;31m', '\u001b[38;5;123m', '\u001b[48;2;1;2;3m', '\u001b[49m', '\u001b[7m', '\u001b[27m', '\u001b[0m', '\u001b[m', '\u001b[4m', '\u001b[24m'];
const OSC = ['\u001b]8;;https://example.com/a\u0007', '\u001b]8;;\u0007'];
const TEXT = ['a', 'b', ' ', 'S022', '─', '│', '›', '✓', '漢', '字', '😀', '👍🏽', 'é', 'e\u0301', '\t', 'xyz', '\u1100', 'ｱ', '\u2e80', '\u00ad'];

/** The draws of the current frame or line list (each reseeds it, so a failure reproduces alone). */
let random = seededBelow(25);
const pick = <T>(xs: readonly T[]): T => xs[random(xs.length)]!;

/** A line of text, styled or not; `lines` > 1 joins several with "\n". */
function text(lines = 1): string {
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    let s = '';
    const n = random(14);
    const styled = random(3) === 0;
    for (let i = 0; i < n; i++) {
      const r = random(10);
      if (styled && r < 3) s += pick(SGR);
      else if (styled && r === 3) s += pick(OSC);
      else s += pick(TEXT);
    }
    out.push(s);
  }
  return out.join('\n');
}

const bold = (line: string): string => `\u001b[1m${line}\u001b[22m`;
const numbered = (line: string, index: number): string => `${index}${line}`;

/** The same random frame drawn with `m`'s Output: the ops are replayed from a seed. */
function frame(m: Modules, frameSeed: number): { output: string; height: number } {
  random = seededBelow(frameSeed);
  const width = 1 + random(30);
  const height = 1 + random(8);
  const o = new m.Output({ width, height });
  const ops = random(10);
  let clips = 0;
  for (let i = 0; i < ops; i++) {
    const r = random(10);
    if (r === 0) {
      const c: Clip = {};
      if (random(2) === 0) Object.assign(c, { x1: random(width), x2: random(width + 4) });
      if (random(2) === 0) Object.assign(c, { y1: random(height), y2: random(height + 2) });
      o.clip(c);
      clips++;
    } else if (r === 1 && clips > 0) {
      o.unclip();
      clips--;
    } else {
      const transformers = random(4) === 0 ? [bold] : random(6) === 0 ? [numbered, bold] : [];
      o.write(random(width + 3), random(height + 1), text(1 + random(3)), { transformers });
    }
  }
  return o.get();
}

describe("ink's frame output in the wizard bundle", () => {
  it('is the patched code: characters between two escapes share one styles array', () => {
    const chars = patched.styledCharsFromTokens(patched.tokenize('ab\u001b[1mcd\u001b[22me'));
    expect(chars.map((c) => c.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(chars[0]!.styles).toBe(chars[1]!.styles);
    expect(chars[2]!.styles).toBe(chars[3]!.styles);
    expect(chars[1]!.styles).not.toBe(chars[2]!.styles);
    const unpatched = original.styledCharsFromTokens(original.tokenize('ab'));
    expect(unpatched[0]!.styles).not.toBe(unpatched[1]!.styles);
    // A plain line's characters are made once per character and shared by every line.
    const a = patched.styledCharsFromTokens(patched.tokenize('a b a'));
    const b = patched.styledCharsFromTokens(patched.tokenize('ba'));
    expect(a[0]).toBe(a[4]);
    expect(b[1]).toBe(a[0]);
    expect(a[0]).toEqual({ type: 'char', value: 'a', fullWidth: false, styles: [] });
  });

  it('turns random styled lines into the same characters and back into the same strings', () => {
    const found: string[] = [];
    random = seededBelow(7);
    let wideShared = 0;
    for (let i = 0; i < 5000 && found.length < 5; i++) {
      const s = text();
      if (patched.tokenize(s).some((t) => Object.isFrozen(t) && (t as { fullWidth: boolean }).fullWidth)) wideShared++;
      const a = patched.styledCharsFromTokens(patched.tokenize(s));
      const b = original.styledCharsFromTokens(original.tokenize(s));
      if (!isDeepStrictEqual(a, b)) found.push(`chars of ${JSON.stringify(s)}`);
      const sa = patched.styledCharsToString(a);
      const sb = original.styledCharsToString(b);
      if (sa !== sb) found.push(`string of ${JSON.stringify(s)}: ${JSON.stringify(sa)} ≠ ${JSON.stringify(sb)}`);
    }
    expect(found).toEqual([]);
    // Wide characters of a plain line went through the tokenizer's shared tokens.
    expect(wideShared).toBeGreaterThan(50);
  });

  it('draws random frames exactly as ink does', () => {
    const found: string[] = [];
    let styledFrames = 0;
    for (let f = 1; f <= 4000 && found.length < 5; f++) {
      const a = frame(patched, f);
      const b = frame(original, f);
      if (a.output.includes('\u001b[')) styledFrames++;
      if (!isDeepStrictEqual(a, b)) found.push(`frame ${f}: ${JSON.stringify(a.output)} ≠ ${JSON.stringify(b.output)}`);
    }
    expect(found).toEqual([]);
    // The frames exercised styles, not only plain text.
    expect(styledFrames).toBeGreaterThan(500);
  });
});
