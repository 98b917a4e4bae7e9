// esbuild plugins of `npm run build` (scripts/bundle.ts): narrow, checked patches of three
// packages as they are bundled. Each names the exact text it replaces and fails the build when a
// package update no longer has it, rather than bundling an unpatched file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
