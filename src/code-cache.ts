// A CommonJS bundle run with V8's code cache. Node 20 has no compile cache for modules
// (module.enableCompileCache came with Node 22), and `plan` spent a fifth of its start-up
// compiling: first the ~350 KB it loads, then each function at its first call. `npm run build`
// runs the dry-run once on the example and stores V8's compiled bytecode beside the bundle
// (scripts/bundle.ts); here it is handed back to V8 with the source. V8 checks the cache against
// the source, its own version and the flags it runs with, and refuses a cache that does not match
// (another Node, NODE_OPTIONS with V8 flags): the source is then compiled as usual. V8 does not
// check everything, though: it knows a source only by its length, and Node 20's V8 takes a damaged
// cache and crashes on it (a segmentation fault, test/plan/code-cache.test.ts). So the file starts
// with the sha256 of the source it was made for and of V8's data; a cache that does not match both
// is never handed to V8. A stale or damaged cache costs time, never correctness. Nothing is
// written at run time, only by `npm run build`.
//
// The build writes each bundle already inside Node's CommonJS wrapper (WRAPPER_HEAD … WRAPPER_TAIL,
// scripts/bundle.ts), so the string decoded from the file is the very source V8 compiles. Wrapping
// it here (`${WRAPPER_HEAD}${source}…`) made a cons string that V8 flattened into a second flat
// copy of the whole bundle before compiling: ~90 fresh 4 KB pages for plan, ~420 for the wizard,
// ~15 µs a page fault on the VM measured (issue 25). Such a file is loadable only through
// loadBundle: required or run by node itself it only evaluates a function expression and exports
// nothing.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface LoadedBundle {
  /** The bundle's module.exports. */
  exports: unknown;
  /** The compiled script: `npm run build` asks it for the cache after the warm-up run. */
  script: Script;
  /** true when a cache was there and was refused (by its hashes or by V8); undefined when there was none. */
  cacheRejected: boolean | undefined;
}

/** Where the bundle's code cache lives: beside it, built with it. */
export function codeCacheFile(bundle: string): string {
  return `${bundle}.v8-cache`;
}

const HASH = 32;
const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();

/**
 * V8's data in a cache file, when the file was made for exactly this source and is whole. The
 * source is hashed as the bytes read (the same digest as its string's UTF-8): hashing the 2.9 MB
 * wizard as a string encoded it to UTF-8 again first, a tenth of the wizard's start (issue 25).
 */
function cacheFor(sourceBytes: Buffer, file: Buffer): Buffer | undefined {
  if (file.length <= 2 * HASH) return undefined;
  const data = file.subarray(2 * HASH);
  return sha256(sourceBytes).equals(file.subarray(0, HASH)) && sha256(data).equals(file.subarray(HASH, 2 * HASH)) ? data : undefined;
}

/**
 * Node's own CommonJS wrapper, so the bundle sees the module scope it was built for. The build
 * writes it around each bundle's code (scripts/bundle.ts); coverage offsets into the file are
 * offsets into the script V8 ran (test/e2e/bundle.test.ts).
 */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
/** The end of the wrapper, on a line of its own: the code may end in a line comment. */
export const WRAPPER_TAIL = '\n})';

/**
 * Runs `bundle` (a CommonJS file the build wrapped in WRAPPER_HEAD … WRAPPER_TAIL) as Node's
 * module loader would run the code inside, with its code cache if any. `beforeRun` is called once
 * the cache was taken and before the bundle's modules run.
 */
export function loadBundle(bundle: string, opts: { beforeRun?: () => void } = {}): LoadedBundle {
  // Read as bytes and decoded once: readFileSync(…, 'utf8') of the same file took longer than
  // reading plus toString(), and the bytes are what the cache's source hash is taken over.
  const bytes = readFileSync(bundle);
  const source = bytes.toString('utf8');
  // An unwrapped file (a bundle from an older build) would run its code as a script, outside any
  // module scope: refused by its head (a file cut short before the tail does not compile anyway).
  if (!source.startsWith(WRAPPER_HEAD)) throw new Error(`${bundle} does not start with the CommonJS wrapper the build writes (src/code-cache.ts, WRAPPER_HEAD): rebuild with \`npm run build\``);
  let file: Buffer | undefined;
  try {
    file = readFileSync(codeCacheFile(bundle));
  } catch {
    // No cache (a build without the warm-up): compiled from source as usual.
  }
  const cachedData = file && cacheFor(bytes, file);
  // The decoded file itself, not a concatenation: V8 compiles it without copying it first.
  const script = new Script(source, { filename: bundle, cachedData });
  opts.beforeRun?.();
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  // The source is not returned: the script holds it for V8 anyway, and saveCodeCache reads the
  // file again, so nothing the launcher keeps refers to it.
  return { exports: module.exports, script, cacheRejected: file ? cachedData === undefined || script.cachedDataRejected === true : undefined };
}

/**
 * Stores V8's code cache of a loaded bundle beside it (`npm run build`, after a warm-up run, so it
 * holds the functions that run called, not only the top level). Written whole or not at all.
 */
export function saveCodeCache(bundle: string, loaded: LoadedBundle): void {
  const data = loaded.script.createCachedData();
  const tmp = `${codeCacheFile(bundle)}.${process.pid}.tmp`;
  // Hashed as bytes, as cacheFor hashes them at load time.
  writeFileSync(tmp, Buffer.concat([sha256(readFileSync(bundle)), sha256(data), data]));
  renameSync(tmp, codeCacheFile(bundle));
}
