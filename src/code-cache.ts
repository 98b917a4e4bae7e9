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
  /** The source it was compiled from. */
  source: string;
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

/** Node's own CommonJS wrapper, so the bundle sees the module scope it was built for. */
export const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/**
 * Runs `bundle` (a CommonJS file) as Node's module loader would, with its code cache if any.
 * `beforeRun` is called once the cache was taken and before the bundle's modules run.
 */
export function loadBundle(bundle: string, opts: { beforeRun?: () => void } = {}): LoadedBundle {
  // Read as bytes and decoded once: readFileSync(…, 'utf8') of the same file took longer than
  // reading plus toString(), and the bytes are what the cache's source hash is taken over.
  const bytes = readFileSync(bundle);
  const source = bytes.toString('utf8');
  let file: Buffer | undefined;
  try {
    file = readFileSync(codeCacheFile(bundle));
  } catch {
    // No cache (a build without the warm-up): compiled from source as usual.
  }
  const cachedData = file && cacheFor(bytes, file);
  const script = new Script(`${WRAPPER_HEAD}${source}\n})`, { filename: bundle, cachedData });
  opts.beforeRun?.();
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { exports: module.exports, script, source, cacheRejected: file ? cachedData === undefined || script.cachedDataRejected === true : undefined };
}

/**
 * Stores V8's code cache of a loaded bundle beside it (`npm run build`, after a warm-up run, so it
 * holds the functions that run called, not only the top level). Written whole or not at all.
 */
export function saveCodeCache(bundle: string, loaded: LoadedBundle): void {
  const data = loaded.script.createCachedData();
  const tmp = `${codeCacheFile(bundle)}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([sha256(loaded.source), sha256(data), data]));
  renameSync(tmp, codeCacheFile(bundle));
}
