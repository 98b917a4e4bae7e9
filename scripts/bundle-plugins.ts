// esbuild plugins of `npm run build` (scripts/bundle.ts): narrow, checked patches of the
// packages as they are bundled. Each names the exact text it replaces and fails the build when a
// package update no longer has it, rather than bundling an unpatched file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/** Replaces each `from` (which must occur exactly once) with its `to`, or fails with `what`. */
function patch(path: string, what: string, edits: [from: string, to: string][]): string {
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of edits) {
    if (text.split(from).length !== 2) throw new Error(`${path}: not the ${what} this build patches (looked for ${JSON.stringify(from.slice(0, 60))})`);
    text = text.replace(from, () => to);
  }
  return text;
}

// ink draws through its own copy of chalk, and NO_COLOR in the TUI sets that copy's level
// (src/ui/ink-colour.ts). Bundled, that copy is a module inside the bundle, not a file beside
// ink: src/ui/ink-chalk.ts becomes a re-export of the chalk module ink itself imports (the same
// resolved file, hence the same module instance in the bundle).
export function inkChalkPlugin(root: string): Plugin {
  const inkChalk = createRequire(createRequire(join(root, 'package.json')).resolve('ink')).resolve('chalk');
  return {
    name: 'ink-chalk',
    setup(b) {
      b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]ui[\\/]ink-chalk\.js$/ }, () => ({
        contents: `export { default as bundledInkChalk } from ${JSON.stringify(inkChalk)};`,
        loader: 'js',
      }));
    },
  };
}

// ink lays out with yoga-layout, whose Emscripten loader carries its WebAssembly as a base64
// data: URL and, when a global fetch exists (Node ≥ 18), reads it with fetch(): that loaded undici
// and decoded the URL in JavaScript before the first frame (~70 ms of a 1.5 s wizard start-up on
// a busy machine, issue 25). Here the bytes are decoded by Buffer and compiled and instantiated
// synchronously through the loader's documented `instantiateWasm` hook, so yoga is ready when its
// module has run: no top-level await, which a CommonJS bundle (the wizard's, with its code cache)
// cannot have. The module stays yoga's own code otherwise.
const YOGA_DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g;
export const yogaWasmPlugin: Plugin = {
  name: 'yoga-wasm-sync',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const found = [...text.matchAll(YOGA_DATA_URL)];
      if (found.length !== 1 || !text.includes('if(h.instantiateWasm)try{return h.instantiateWasm(d,')) throw new Error(`${path}: not the yoga-layout loader this build patches (one base64 wasm, an instantiateWasm option)`);
      const contents = `${text.replace(YOGA_DATA_URL, '"data:application/octet-stream;base64,"')}\nexport const yogaWasmBase64 = ${JSON.stringify(found[0]![1])};\n`;
      return { contents, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, ({ path }) => {
      const contents = patch(path, 'yoga-layout entry', [
        ["import loadYoga from '../binaries/yoga-wasm-base64-esm.js';", "import loadYoga, { yogaWasmBase64 } from '../binaries/yoga-wasm-base64-esm.js';"],
        [
          'const Yoga = wrapAssembly(await loadYoga());',
          `function loadYogaSync() {
  const bytes = Buffer.from(yogaWasmBase64, 'base64');
  const lib = {
    instantiateWasm(imports, done) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
      done(instance);
      return instance.exports;
    },
  };
  loadYoga(lib);
  if (typeof lib.Node !== 'function' || typeof lib.Config !== 'function') throw new Error('yoga-layout did not initialise synchronously');
  return lib;
}
const Yoga = wrapAssembly(loadYogaSync());`,
        ],
      ]);
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

// ink's reconciler awaits two imports at its top level, both only with DEV=true (React DevTools,
// which is not installed, and ink's package.json, which is not beside the bundle). In the bundle
// DEV=true gets ink's own "react-devtools-core is not installed" warning and no DevTools, as it
// did before; the module has no top-level await left, so it can be part of a CommonJS bundle.
export const inkNoTopLevelAwaitPlugin: Plugin = {
  name: 'ink-no-top-level-await',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, ({ path }) => {
      const contents = patch(path, 'ink reconciler', [
        ["await import('./devtools.js');", "throw Object.assign(new Error('react-devtools-core is not part of the collabsec bundle'), { code: 'ERR_MODULE_NOT_FOUND' });"],
        ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
      ]);
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

// ink's frame, written out (issue 25, start-up and every redraw): Output.get() fills a grid of
// width × height cells, one new { value: ' ', styles: [] } object each, overwrites the cells the
// frame writes with per-character objects from @alcalzone/ansi-tokenize, each with its own copy of
// the active styles, and then turns every row back into a string, asking diffAnsiCodes for the
// styles between each pair of neighbours (three Sets and two filters per character, even when both
// have none). A 120 × 50 frame is 6,000 cells: a tenth of the wizard's first frame went here.
// The three edits below give exactly the strings the modules give (test/scripts/ink-output.test.ts
// compares them with the originals on random frames, styled and wide text, clips):
//   - consecutive characters with no escape between them share one styles array (they had equal
//     copies; nothing writes to a styles array: ink copies the reference for wide characters),
//     and characters without styles share one empty array; a character without styles made from
//     one of the tokenizer's shared (frozen) tokens of a plain line (graphemeFastPathPlugin) is
//     made once and shared too: nothing writes to a character either (cells are replaced);
//   - styledCharsToString skips the diff between two characters with the same styles array or
//     with no styles on either side: diffAnsiCodes(a, a) and diffAnsiCodes([], []) are [] (every
//     code of `from` is in `to`, and no code of `to` is missing from `from`), and the string of []
//     is ''; the opening and closing codes of a line without styles are '' likewise;
//   - the grid's blank cells are one shared object, never written to (cells are replaced).
export const inkOutputPlugin: Plugin = {
  name: 'ink-output',
  setup(b) {
    b.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/ }, ({ path }) => {
      const contents = `const __collabsecNoStyles = [];\nconst __collabsecPlain = new WeakMap();\n${patch(path, 'ansi-tokenize styledChars', [
        [
          `    let codes = [];
    const ret = [];
    for (const token of tokens) {
        if (token.type === "ansi") {
            codes = reduceAnsiCodesIncremental(codes, [token]);
        }
        else if (token.type === "char") {
            ret.push({
                ...token,
                styles: [...codes],
            });
        }
    }`,
          `    let codes = [];
    const ret = [];
    let shared = __collabsecNoStyles;
    for (const token of tokens) {
        if (token.type === "ansi") {
            codes = reduceAnsiCodesIncremental(codes, [token]);
            shared = undefined;
        }
        else if (token.type === "char") {
            if (shared === __collabsecNoStyles && Object.isFrozen(token)) {
                let char = __collabsecPlain.get(token);
                if (char === undefined) __collabsecPlain.set(token, (char = { ...token, styles: __collabsecNoStyles }));
                ret.push(char);
                continue;
            }
            ret.push({
                ...token,
                styles: (shared ??= codes.length === 0 ? __collabsecNoStyles : [...codes]),
            });
        }
    }`,
        ],
        [
          `        const char = chars[i];
        if (i === 0) {
            ret += ansiCodesToString(char.styles);
        }
        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }
        ret += char.value;
        // reset active styles at the end of the string
        if (i === chars.length - 1) {`,
          `        const char = chars[i];
        const styles = char.styles;
        if (i === 0) {
            if (styles.length > 0) ret += ansiCodesToString(styles);
        }
        else {
            const before = chars[i - 1].styles;
            if (before !== styles && (before.length > 0 || styles.length > 0)) ret += ansiCodesToString(diffAnsiCodes(before, styles));
        }
        ret += char.value;
        // reset active styles at the end of the string
        if (i === chars.length - 1 && styles.length > 0) {`,
        ],
      ])}`;
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/ }, ({ path }) => {
      const contents = patch(path, 'ink output', [
        [
          `        const output = [];
        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }`,
          `        const output = [];
        const blank = {
            type: 'char',
            value: ' ',
            fullWidth: false,
            styles: [],
        };
        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push(blank);
            }`,
        ],
      ]);
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

// Grapheme segmentation before the wizard's first frame (issue 25, start-up). Four bundled modules
// build an Intl.Segmenter at their top level and segment every line ink writes: ink's tokenizer
// (@alcalzone/ansi-tokenize), slice-ansi's, string-width 8 (ink, widest-line, cli-truncate) and
// string-width 7 (ink's wrap-ansi). The first Segmenter of a process loads ICU's break data
// (~45 ms measured), and string-width 8's /^\p{RGI_Emoji}$/v costs ~20 ms to create and ~14 ms at
// its first test. Here each Segmenter is created when a string first needs it, the RGI emoji
// regex when first tested, and a string made only of "single-unit" characters (the set F below)
// is segmented one UTF-16 code unit per grapheme without ICU, and measured by string-width from a
// per-character table of that very module's own widths.
//
// F holds every ASCII character but CR, and every c in U+0080–U+2FFF for which the segmenter
// splits 'a' c 'b' c c into five graphemes, computed at build time from Intl.Segmenter. Why a
// string of F characters has a boundary between any two code units (UAX #29, extended grapheme
// clusters): every rule that keeps X × Y together needs X or Y in a class the test rejects:
//   GB3 CR × LF: CR is left out of F by hand (CR alone passes the test; it is the one exception).
//   GB6–GB8 Hangul: L × L, V × V, T × T join, so L, V, T fail c c; LV and LVT join only before
//     V or T (GB7, GB8) and after L (GB6), which are not in F.
//   GB9 × Extend|ZWJ, GB9a × SpacingMark: 'a' c joins, so they fail.
//   GB9b Prepend ×: c 'b' joins, so it fails.
//   GB9c (Indic conjuncts) needs an InCB Linker or Extend right before Y: GCB Extend or ZWJ.
//   GB11 ZWJ × ExtPict: ZWJ fails. GB12/GB13 RI × RI: RI fails c c (and is outside the BMP).
//   GB4/GB5 (controls) only break; GB999 breaks.
// F and the widths are facts of the ICU (Unicode data) of the Node that builds: at run time the
// fast paths are taken only when process.versions.icu and .unicode are the build's; otherwise
// every string goes to the modules' own code. ICU has no locale tailoring of grapheme clusters
// (its root rules, char.txt) [I]: the table is computed with the default locale, as used.
// test/scripts/grapheme-fast-path.test.ts compares patched and original modules on every
// character of F and on random strings.

/** Code units U+0000–U+2FFF: those in F (see above), computed with this process's ICU. */
export function singleUnitGraphemes(): Uint8Array {
  const segmenter = new Intl.Segmenter();
  const inF = new Uint8Array(FAST_LIMIT);
  for (let c = 0; c < FAST_LIMIT; c++) {
    if (c === 0x0d) continue;
    const ch = String.fromCharCode(c);
    if ([...segmenter.segment(`a${ch}b${ch}${ch}`)].length === 5) inF[c] = 1;
    else if (c < 0x80) throw new Error(`grapheme fast path: ASCII U+${c.toString(16)} is not a grapheme on its own in this ICU`);
  }
  return inF;
}
const FAST_LIMIT = 0x3000;

/** Run-length text of a table of small numbers: "value*count," runs. */
function runLength(table: Uint8Array): string {
  let out = '';
  for (let i = 0; i < table.length; ) {
    let j = i;
    while (j < table.length && table[j] === table[i]) j++;
    out += `${table[i]}*${j - i},`;
    i = j;
  }
  return out;
}

/**
 * The table string-width `path` gets: 0 outside F, else 1 + the width that module gives the
 * character as one grapheme (default options). Its slow path is a sum over graphemes of a
 * function of the grapheme; NBSP + c is two graphemes (both in F), so width(NBSP c) - width(NBSP)
 * is that function's value at c. countAnsiEscapeCodes keeps ESC and other controls unstripped.
 */
async function stringWidthTable(path: string, inF: Uint8Array): Promise<Uint8Array> {
  const { default: stringWidth } = (await import(pathToFileURL(path).href)) as { default: (s: string, o?: { countAnsiEscapeCodes?: boolean }) => number };
  if (!inF[0xa0]) throw new Error('grapheme fast path: NBSP is not in F');
  const raw = { countAnsiEscapeCodes: true };
  const base = stringWidth('\u00a0', raw);
  const table = new Uint8Array(FAST_LIMIT);
  for (let c = 0; c < FAST_LIMIT; c++) {
    if (!inF[c]) continue;
    const w = stringWidth(`\u00a0${String.fromCharCode(c)}`, raw) - base;
    if (w !== 0 && w !== 1 && w !== 2) throw new Error(`${path}: width ${w} for U+${c.toString(16)}`);
    table[c] = w + 1;
  }
  return table;
}

// The runtime half, one module in the bundle. graphemeSegmenter() stands for `new Intl.Segmenter`
// with the same arguments: its segment() gives, for a string of F, an object with what the
// patched modules use of Intl's Segments (iteration and containing(), data objects {segment,
// index, input}); any other string goes to the real Segmenter, created then.
function graphemesModule(inF: Uint8Array): string {
  return `const FAST = process.versions.icu === ${JSON.stringify(process.versions.icu)} && process.versions.unicode === ${JSON.stringify(process.versions.unicode)};
function decode(text) {
  const table = new Uint8Array(${FAST_LIMIT});
  let at = 0;
  for (const run of text.split(',')) {
    if (run === '') continue;
    const [value, count] = run.split('*');
    table.fill(Number(value), at, at + Number(count));
    at += Number(count);
  }
  return table;
}
let single;
export function singleUnits(s) {
  if (!FAST) return false;
  single ??= decode(${JSON.stringify(runLength(inF))});
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= ${FAST_LIMIT} || single[c] === 0) return false;
  }
  return true;
}
class SingleUnitSegments {
  #s;
  constructor(s) { this.#s = s; }
  containing(index) {
    const n = Math.trunc(Number(index)) || 0;
    return n < 0 || n >= this.#s.length ? undefined : { segment: this.#s[n], index: n, input: this.#s };
  }
  *[Symbol.iterator]() {
    const s = this.#s;
    for (let i = 0; i < s.length; i++) yield { segment: s[i], index: i, input: s };
  }
}
export function graphemeSegmenter(locales, options) {
  let real;
  return {
    segment(s) {
      if (typeof s === 'string' && singleUnits(s)) return new SingleUnitSegments(s);
      real ??= new Intl.Segmenter(locales, options);
      return real.segment(s);
    },
  };
}
/** For one string-width: its width of a string of F (default options), or -1. */
export function fastWidths(text) {
  let table;
  return (s, ambiguousAsWide) => {
    if (!FAST || ambiguousAsWide) return -1;
    table ??= decode(text);
    let width = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const w = c < ${FAST_LIMIT} ? table[c] : 0;
      if (w === 0) return -1;
      width += w - 1;
    }
    return width;
  };
}
`;
}

const GRAPHEMES = 'collabsec:graphemes';
const IMPORT_GRAPHEMES = `import { graphemeSegmenter as __collabsecGraphemeSegmenter, fastWidths as __collabsecFastWidths, singleUnits as __collabsecSingleUnits } from ${JSON.stringify(GRAPHEMES)};\n`;

export const graphemeFastPathPlugin: Plugin = {
  name: 'grapheme-fast-path',
  setup(b) {
    let inF: Uint8Array | undefined;
    const single = (): Uint8Array => (inF ??= singleUnitGraphemes());
    b.onResolve({ filter: /^collabsec:graphemes$/ }, () => ({ path: GRAPHEMES, namespace: 'collabsec-graphemes' }));
    b.onLoad({ filter: /.*/, namespace: 'collabsec-graphemes' }, () => ({ contents: graphemesModule(single()), loader: 'js' }));
    b.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/ }, ({ path }) => {
      const contents = IMPORT_GRAPHEMES + patch(path, 'ansi-tokenize tokenizer', [
        ['const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });', 'const segmenter = __collabsecGraphemeSegmenter(undefined, { granularity: "grapheme" });'],
        // A string of F without an escape (most of a frame's lines) is one character token per
        // code unit, each the same object for the same character: the tokens are only read.
        [
          'export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {\n',
          `const __collabsecTokens = [];
function __collabsecPlainTokens(str) {
    const ret = [];
    for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        let token = __collabsecTokens[c];
        if (token === undefined) {
            const segment = str[i];
            token = __collabsecTokens[c] = Object.freeze({ type: "char", value: segment, fullWidth: isFullwidthGrapheme(segment, c) });
        }
        ret.push(token);
    }
    return ret;
}
export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {
    if (endChar === Number.POSITIVE_INFINITY && !str.includes("\\x1b") && !str.includes("\\x9b") && __collabsecSingleUnits(str)) {
        return __collabsecPlainTokens(str);
    }
`,
        ],
      ]);
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
    b.onLoad({ filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/ }, ({ path }) => {
      const contents = IMPORT_GRAPHEMES + patch(path, 'slice-ansi tokenizer', [
        ["const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});", "const GRAPHEME_SEGMENTER = __collabsecGraphemeSegmenter(undefined, {granularity: 'grapheme'});"],
      ]);
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async ({ path }) => {
      const text = readFileSync(path, 'utf8');
      if (!text.includes('Intl.Segmenter')) return undefined; // string-width 4 (wrap-ansi 7) never segments
      const { version } = JSON.parse(readFileSync(join(dirname(path), 'package.json'), 'utf8')) as { version: string };
      const widths = JSON.stringify(runLength(await stringWidthTable(path, single())));
      const segmenter: [string, string] = ['const segmenter = new Intl.Segmenter();', `const segmenter = __collabsecGraphemeSegmenter();\nconst __collabsecWidth = __collabsecFastWidths(${widths});`];
      let edits: [string, string][];
      if (version === '8.3.0') {
        // rgiEmojiRegex is only ever tested: it becomes an object whose test() creates it.
        if (text.split('rgiEmojiRegex').length !== 3 || !text.includes('rgiEmojiRegex.test(segment)')) throw new Error(`${path}: not the string-width 8.3.0 this build patches (rgiEmojiRegex)`);
        edits = [
          segmenter,
          ['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', 'let __collabsecRgiEmojiRegex;\nconst rgiEmojiRegex = { test: (s) => (__collabsecRgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v).test(s) };'],
          ['\t\treturn string.length;\n\t}\n', '\t\treturn string.length;\n\t}\n\n\tconst __collabsecFast = __collabsecWidth(string, !ambiguousIsNarrow);\n\tif (__collabsecFast !== -1) {\n\t\treturn __collabsecFast;\n\t}\n'],
        ];
      } else if (version === '7.2.0') {
        edits = [
          segmenter,
          ['\tif (string.length === 0) {\n\t\treturn 0;\n\t}\n\n\tlet width = 0;', '\tif (string.length === 0) {\n\t\treturn 0;\n\t}\n\n\tconst __collabsecFast = __collabsecWidth(string, !ambiguousIsNarrow);\n\tif (__collabsecFast !== -1) {\n\t\treturn __collabsecFast;\n\t}\n\n\tlet width = 0;'],
        ];
      } else throw new Error(`${path}: string-width ${version} segments graphemes and this build patches only 7.2.0 and 8.3.0`);
      return { contents: IMPORT_GRAPHEMES + patch(path, `string-width ${version}`, edits), loader: 'js', resolveDir: dirname(path) };
    });
  },
};
