// A CommonJS bundle run with V8's code cache. Node 20 has no compile cache for modules
// (module.enableCompileCache came with Node 22), and `plan` spent a fifth of its start-up
// compiling: first the ~350 KB it loads, then each function at its first call. `npm run build`
// runs the dry-run once on the example and stores V8's compiled bytecode beside the bundle
// (scripts/bundle.ts); here it is handed back to V8 with the source. V8 checks the cache against
// the source, its own version and the flags it runs with, and refuses a cache that does not match
// (another Node, NODE_OPTIONS with V8 flags): the source is then compiled as usual. V8 does not
// check everything, though. It knows a source only by its length, so the cache file also holds
// the very bytes of the source it was made for, compared with the bundle read (an edited bundle
// of the same length is refused). And Node 20's V8 takes a damaged cache and crashes on it (a
// segmentation fault, test/plan/code-cache.test.ts) unless --verify-snapshot-checksum is on: its
// default is on only in V8's debug builds. With it, V8 writes a checksum of its data into the
// cache and refuses data that no longer matches it; the flag is part of the flags V8 checks a
// cache against, so it is on both where the cache is made and wherever one is taken (loadBundle
// does both). A stale or damaged cache costs time, never correctness. Nothing is written at run
// time, only by `npm run build`.
//
// The checks used to be sha256 digests of the source and of V8's data, which loaded node:crypto
// (~40 of Node's own modules, ~4 ms) at every start, for `plan` only for this (issue 25).
//
// The build writes each bundle already inside Node's CommonJS wrapper (WRAPPER_HEAD … WRAPPER_TAIL,
// scripts/bundle.ts), so the string decoded from the file is the very source V8 compiles. Wrapping
// it here (`${WRAPPER_HEAD}${source}…`) made a cons string that V8 flattened into a second flat
// copy of the whole bundle before compiling: ~90 fresh 4 KB pages for plan, ~420 for the wizard,
// ~15 µs a page fault on the VM measured (issue 25). Such a file is loadable only through
// loadBundle: required or run by node itself it only evaluates a function expression and exports
// nothing.
import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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

/**
 * The cache file: MAGIC, the lengths of V8's data and of the source (uint32, little-endian), V8's
 * data, then the source's bytes as the bundle held them when the cache was made.
 */
const MAGIC = Buffer.from('collabsec code cache 2\n', 'latin1');
const HEAD = MAGIC.length + 8;
/** The source copy is compared this many bytes at a time, in one buffer: no fresh page per byte read. */
const CHUNK = 64 * 1024;

/** V8 writes and checks a checksum of its cache data (see the top of this file). */
function verifyCacheChecksums(): void {
  setFlagsFromString('--verify-snapshot-checksum');
}

/** Reads exactly buf.length bytes at `at`; false at an early end of file. */
function readFully(fd: number, buf: Buffer, at: number): boolean {
  for (let done = 0; done < buf.length; ) {
    const n = readSync(fd, buf, done, buf.length - done, at + done);
    if (n === 0) return false;
    done += n;
  }
  return true;
}

/**
 * V8's data in a cache file, when the file is whole and was made for exactly these source bytes;
 * undefined otherwise (or when there is no file).
 */
function cacheFor(sourceBytes: Buffer, file: string): { data: Buffer | undefined; present: boolean } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    // No cache (a build without the warm-up): compiled from source as usual.
    return { data: undefined, present: false };
  }
  try {
    const head = Buffer.allocUnsafe(HEAD);
    if (!readFully(fd, head, 0) || !head.subarray(0, MAGIC.length).equals(MAGIC)) return { data: undefined, present: true };
    const dataLength = head.readUInt32LE(MAGIC.length);
    const sourceLength = head.readUInt32LE(MAGIC.length + 4);
    if (sourceLength !== sourceBytes.length || fstatSync(fd).size !== HEAD + dataLength + sourceLength) return { data: undefined, present: true };
    const data = Buffer.allocUnsafe(dataLength);
    if (!readFully(fd, data, HEAD)) return { data: undefined, present: true };
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, sourceLength));
    for (let at = 0; at < sourceLength; at += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, sourceLength - at));
      if (!readFully(fd, part, HEAD + dataLength + at) || part.compare(sourceBytes, at, at + part.length) !== 0) return { data: undefined, present: true };
    }
    return { data, present: true };
  } finally {
    closeSync(fd);
  }
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
  // reading plus toString(), and the bytes are what the cache's copy of its source is compared with.
  const bytes = readFileSync(bundle);
  const source = bytes.toString('utf8');
  // An unwrapped file (a bundle from an older build) would run its code as a script, outside any
  // module scope: refused by its head (a file cut short before the tail does not compile anyway).
  if (!source.startsWith(WRAPPER_HEAD)) throw new Error(`${bundle} does not start with the CommonJS wrapper the build writes (src/code-cache.ts, WRAPPER_HEAD): rebuild with \`npm run build\``);
  const { data: cachedData, present } = cacheFor(bytes, codeCacheFile(bundle));
  verifyCacheChecksums();
  // The decoded file itself, not a concatenation: V8 compiles it without copying it first.
  const script = new Script(source, { filename: bundle, cachedData });
  opts.beforeRun?.();
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  // The source is not returned: the script holds it for V8 anyway, and saveCodeCache reads the
  // file again, so nothing the launcher keeps refers to it.
  return { exports: module.exports, script, cacheRejected: present ? cachedData === undefined || script.cachedDataRejected === true : undefined };
}

/**
 * Stores V8's code cache of a loaded bundle beside it (`npm run build`, after a warm-up run, so it
 * holds the functions that run called, not only the top level). Written whole or not at all.
 */
export function saveCodeCache(bundle: string, loaded: LoadedBundle): void {
  // V8 writes its checksum into the data: loadBundle, the only maker of a LoadedBundle, turned
  // --verify-snapshot-checksum on before it compiled.
  const data = loaded.script.createCachedData();
  const source = readFileSync(bundle);
  const head = Buffer.alloc(HEAD);
  MAGIC.copy(head);
  head.writeUInt32LE(data.length, MAGIC.length);
  head.writeUInt32LE(source.length, MAGIC.length + 4);
  const tmp = `${codeCacheFile(bundle)}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([head, data, source]));
  renameSync(tmp, codeCacheFile(bundle));
}
