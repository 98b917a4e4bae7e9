// The grapheme fast path of the wizard bundle (scripts/bundle-plugins.ts, graphemeFastPathPlugin,
// issue 25): the four patched modules must give exactly what the modules in node_modules give,
// for every input. Here both are loaded side by side (the patched ones bundled by esbuild with the
// plugin, the originals imported as they are) and compared on every character of the fast set F
// alone, in pairs and with escape sequences, and on thousands of random strings that mix ASCII,
// F, SGR and OSC 8 sequences, CR/LF, combining marks, emoji, ZWJ sequences, CJK, Hangul jamo and
// Indic conjuncts. In `system` (vitest.config.ts): esbuild runs as a child process.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphemeFastPathPlugin, singleUnitGraphemes } from '../../scripts/bundle-plugins.js';
import { seededBelow } from '../seeded-random.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
const nm = (p: string): string => realpathSync(path.join(repo, 'node_modules', p));
const FILES = {
  tokenize: nm('@alcalzone/ansi-tokenize/build/tokenize.js'),
  tokenizeAnsi: nm('slice-ansi/tokenize-ansi.js'),
  sliceAnsi: nm('slice-ansi/index.js'),
  stringWidth8: nm('string-width/index.js'),
  stringWidth7: nm('ink/node_modules/wrap-ansi/node_modules/string-width/index.js'),
  wrapAnsi: nm('ink/node_modules/wrap-ansi/index.js'),
};
type Fn = (...args: unknown[]) => unknown;
type Modules = Record<keyof typeof FILES, Fn>;
const exportOf = (name: keyof typeof FILES): string => (name === 'tokenize' ? 'tokenize' : 'default');

let dir: string;
let patched: Modules;
let original: Modules;
const inF = singleUnitGraphemes();
const F = [...inF.keys()].filter((c) => inF[c]).map((c) => String.fromCharCode(c));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'graphemes-'));
  const outfile = path.join(dir, 'patched.mjs');
  await build({
    stdin: { contents: Object.entries(FILES).map(([k, f]) => `export { ${exportOf(k as keyof typeof FILES)} as ${k} } from ${JSON.stringify(f)};`).join('\n'), resolveDir: repo, sourcefile: 'entry.js' },
    bundle: true, platform: 'node', target: 'node20', format: 'esm', outfile, logLevel: 'warning',
    plugins: [graphemeFastPathPlugin],
  });
  patched = (await import(pathToFileURL(outfile).href)) as Modules;
  original = Object.fromEntries(await Promise.all(Object.entries(FILES).map(async ([k, f]) => [k, ((await import(pathToFileURL(f).href)) as Record<string, Fn>)[exportOf(k as keyof typeof FILES)]]))) as Modules;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every call the wizard's modules take, on one string. */
const calls: [string, (m: Modules, s: string) => unknown][] = [
  ['tokenize', (m, s) => m.tokenize(s)],
  ['tokenize endChar 3', (m, s) => m.tokenize(s, 3)],
  ['tokenizeAnsi', (m, s) => m.tokenizeAnsi(s)],
  ['tokenizeAnsi endCharacter 2', (m, s) => m.tokenizeAnsi(s, { endCharacter: 2 })],
  ['sliceAnsi 1..4', (m, s) => m.sliceAnsi(s, 1, 4)],
  ['sliceAnsi 0..2', (m, s) => m.sliceAnsi(s, 0, 2)],
  ['stringWidth8', (m, s) => m.stringWidth8(s)],
  ['stringWidth8 ambiguous wide', (m, s) => m.stringWidth8(s, { ambiguousIsNarrow: false })],
  ['stringWidth8 counting escapes', (m, s) => m.stringWidth8(s, { countAnsiEscapeCodes: true })],
  ['stringWidth7', (m, s) => m.stringWidth7(s)],
  ['stringWidth7 ambiguous wide', (m, s) => m.stringWidth7(s, { ambiguousIsNarrow: false })],
  ['stringWidth7 counting escapes', (m, s) => m.stringWidth7(s, { countAnsiEscapeCodes: true })],
  ['wrapAnsi 5 hard', (m, s) => m.wrapAnsi(s, 5, { hard: true })],
];

/** The first few inputs on which a patched call differs from the original, described. */
function differences(inputs: Iterable<string>): string[] {
  const found: string[] = [];
  for (const s of inputs) {
    for (const [name, call] of calls) {
      let a: unknown;
      let b: unknown;
      try { a = call(patched, s); } catch (e) { a = `throws ${String(e)}`; }
      try { b = call(original, s); } catch (e) { b = `throws ${String(e)}`; }
      if (!isDeepStrictEqual(a, b)) found.push(`${name}(${JSON.stringify(s)}): ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
    }
    if (found.length >= 5) break;
  }
  return found;
}

const SGR = ['\u001b[31m', '\u001b[39m', '\u001b[1;3;31m', '\u001b[38;5;123m', '\u001b[48;2;1;2;3m', '\u001b[0m', '\u001b[m', '\u001b[22m', '\u009b31m'];
const OSC = ['\u001b]8;;https://example.com/a\u0007', '\u001b]8;;\u0007', '\u001b]8;id=1;http://x\u001b\\', '\u001b]8;;\u001b\\'];
const OTHER = ['\r', '\n', '\r\n', '\t', '\u001b', '\u0301', '\u0308', '\u200d', '\u200c', '\ufe0f', '\u20e3', '😀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '🇫', '❤️', '❤', '1️⃣', '#\u20e3', '漢字', '한', '\u1100\u1161\u11a8', '\u1100', '\u11a8', 'क्ष', 'क', '\u094d', 'ไทย', '\u0600', '\ud800', '\udc00', '\uff9e', 'ｱ', '\u00ad', '\u2028'];

describe('the grapheme fast path of the wizard bundle', () => {
  it('covers ASCII but CR and most of U+00A0–U+2FFF (box drawing, arrows, check marks)', () => {
    for (let c = 0; c < 0x80; c++) expect(inF[c], `U+${c.toString(16)}`).toBe(c === 0x0d ? 0 : 1);
    for (const ch of '─│┌┐└┘├┤›•✓✗→…▶■□●○⚠') expect(inF[ch.charCodeAt(0)], ch).toBe(1);
    for (const ch of ['\u0301', '\u200d', '\u200c', '\u1100', '\u0903', '\u0600']) expect(inF[ch.charCodeAt(0)], `U+${ch.charCodeAt(0).toString(16)}`).toBe(0);
  });

  it('gives what the modules give on every character of F, alone and beside ASCII, and needs no Segmenter for it', () => {
    const inputs = function* (): Generator<string> {
      for (const c of F) {
        yield c;
        yield `a${c}`;
        yield `${c}b ${c}`;
        yield `${c}\n${c}${c}`;
        yield `${SGR[0]}${c}${SGR[1]}x${c}`;
        yield `${OSC[0]}${c}${OSC[1]}`;
      }
    };
    // First the calls the wizard makes (default options), before any other: the patched modules
    // create their Segmenters when first needed, so none may be created here.
    const intl = Intl as { Segmenter: typeof Intl.Segmenter };
    const Real = intl.Segmenter;
    let created = 0;
    intl.Segmenter = new Proxy(Real, { construct: (t, a, n): object => (created++, Reflect.construct(t, a, n) as object) });
    try {
      // wrap-ansi normalises to NFC first: a composition exclusion (U+0958 क़ is क + U+093C) leaves F.
      for (const s of inputs()) for (const [name, call] of calls) if (!/ambiguous|counting/.test(name) && (!name.startsWith('wrapAnsi') || s.normalize('NFC') === s)) call(patched, s);
    } finally {
      intl.Segmenter = Real;
    }
    expect(created).toBe(0);
    expect(differences(inputs())).toEqual([]);
  });

  it('gives what the modules give on random strings of every kind', () => {
    const random = seededBelow(25);
    const anyBmp = (): string => {
      const c = 0xa0 + random(0xffff - 0xa0);
      return String.fromCharCode(c >= 0xd800 && c < 0xe000 ? c - 0x800 : c);
    };
    const piece = (): string => {
      switch (random(8)) {
        case 0: return SGR[random(SGR.length)]!;
        case 1: return OSC[random(OSC.length)]!;
        case 2: return OTHER[random(OTHER.length)]!;
        case 3: return F[random(F.length)]!;
        case 4: return anyBmp();
        default: return String.fromCharCode(0x20 + random(0x5f));
      }
    };
    const inputs = function* (): Generator<string> {
      for (let i = 0; i < 6000; i++) {
        const n = 1 + random(12);
        let s = '';
        for (let j = 0; j < n; j++) s += piece();
        yield s;
      }
    };
    expect(differences(inputs())).toEqual([]);
  });
});
