// Precompiled catalogue: `npm run build` validates steps/ + templates/ once and stores the result
// in dist/catalogue.json with the sources' hash. At run time the stored catalogue is used only
// when it matches the sources and the target shapes; otherwise (an edited step, a development
// tree) the full load-and-validate path runs. Parsing ~130 KB of YAML was most of `plan`'s
// start-up time.
//
// Matching the sources: the build also stores each source's stat fingerprint (size, mtime,
// ctime, inode) and the listing of steps/ and templates/. When the listing is the same and every
// source's fingerprint is unchanged, the stored hash is trusted without reading a source (a
// listing and ~25 stats instead of reading and hashing ~130 KB). Anything else — a file added,
// removed or renamed, a different stat, a source with no fingerprint — reads and hashes the
// sources as before, and uses the stored catalogue only if that hash still matches.
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSha256, sha256Hex } from '../sha256.js';
import type { Shape } from './shape.js';
import { type Catalogue, type LoadOptions, type Snippet, catalogueHash, catalogueSourceFiles, catalogueSources, loadCatalogue } from './load.js';

interface Stored {
  version: 2;
  hash: string;
  shapesHash: string;
  /** The schema and loader that produced it: their defaults are in the stored steps. */
  codeHash: string;
  /**
   * Every source file the build hashed, in hash order (the listing a load must find again), each
   * with its fingerprint, or null when it was racily clean (see racyBefore).
   */
  sources: { rel: string; stat: string | null }[];
  catalogue: Omit<Catalogue, 'snippets'> & { snippets: [string, Snippet][] };
}

declare const COLLABSEC_CATALOGUE_CODE_HASH: string | undefined;

/** The hash stored with the catalogue of the target shapes it was validated against. */
export function shapesHash(shapes: Record<string, Shape>): string {
  return sha256Hex(JSON.stringify(shapes));
}

/**
 * Hash of the modules whose rules and defaults shape a loaded catalogue (schema.ts, load.ts, or
 * their built .js): a cache written by an older collabsec (a new default field) is never used.
 */
function codeHash(): string {
  // In the bundle (scripts/bundle.mjs) these modules are no longer files beside this one: the
  // bundler injects the hash of the very files it bundled.
  if (typeof COLLABSEC_CATALOGUE_CODE_HASH === 'string') return COLLABSEC_CATALOGUE_CODE_HASH;
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const h = newSha256();
  for (const m of ['schema', 'load']) h.update(readFileSync(new URL(`./${m}.${ext}`, import.meta.url)));
  return h.digest('hex');
}

export function compiledPath(root: string): string {
  return join(root, 'dist', 'catalogue.json');
}

/**
 * A source's stat as a string compared whole: size, mtime and ctime in nanoseconds, inode, all
 * exact (bigint). ctime matters: unlike mtime it cannot be set back (touch -d, tar, cp -p, rsync
 * -t restore an mtime; any of them moves ctime), and it also moves on chmod or a new link, which
 * merely costs a full check.
 */
function fingerprint(path: string): { id: string; newest: bigint } {
  const st = statSync(path, { bigint: true });
  return { id: `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`, newest: st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs };
}

const RACY_WINDOW_NS = 3_000_000_000n;

/**
 * The racily-clean bound (git's rule for its index): a source whose mtime or ctime is not
 * strictly older than this is stored without a fingerprint, so every load reads and hashes it.
 * A file changed again in the same timestamp tick as the stat the build recorded, with the same
 * size, would otherwise keep an identical fingerprint. The bound must be at or below any
 * timestamp a change made after the build read the sources can get, so it is the lower of:
 *  - the timestamp the filesystem gives a file written just before the sources are read (a probe
 *    in dist/, stamped by the same clock and granularity as steps/ when they share a
 *    filesystem, the usual case): exact whatever the granularity or a file server's clock;
 *  - now minus 3 s, for a dist/ on another filesystem: a later change is stamped no earlier than
 *    now minus the granularity (2 s on FAT, the coarsest in use; 1 s on HFS+ and ext3) minus the
 *    lag of the kernel's coarse file clock (milliseconds); 3 s covers both with room to spare.
 *    A file server whose clock is more than ~1 s behind this machine's, with dist/ on another
 *    filesystem, is not covered.
 * The cost is small: only files changed within 3 s before a build are read at each load, until
 * the next build.
 */
function racyBefore(root: string): bigint {
  const probe = join(root, 'dist', `.catalogue-clock-${process.pid}`);
  const now = BigInt(Date.now()) * 1_000_000n - RACY_WINDOW_NS;
  writeFileSync(probe, '');
  try {
    const stamped = statSync(probe, { bigint: true }).mtimeNs;
    return stamped < now ? stamped : now;
  } finally {
    unlinkSync(probe);
  }
}

export function writeCompiledCatalogue(root: string, opts: LoadOptions): Catalogue {
  const cat = loadCatalogue(root, opts);
  // The fingerprints must describe the very bytes the stored hash covers. So the sources are read
  // again here and must hash to the catalogue's hash (else the tree changed during the build: no
  // fingerprints, every load checks in full), and are stat'ed only after that read: a change
  // between the read and the stat carries a timestamp at or after `racy`, so it is not recorded.
  const racy = racyBefore(root);
  const read = catalogueSources(root);
  const consistent = catalogueHash(read) === cat.hash;
  const sources = read.map((src) => {
    const fp = fingerprint(src.path);
    return { rel: src.rel, stat: consistent && fp.newest < racy ? fp.id : null };
  });
  const stored: Stored = {
    version: 2,
    hash: cat.hash,
    shapesHash: shapesHash(opts.shapes),
    codeHash: codeHash(),
    sources,
    catalogue: { ...cat, snippets: [...cat.snippets.entries()] },
  };
  // Written as ASCII (JSON \u escapes for the catalogue's ~200 arrows, dashes and the like): a
  // load decodes an ASCII file on V8's fast path into a one-byte string; with them raw, decoding
  // the UTF-8 took ~1 ms longer at every start. JSON.parse gives back the same strings.
  writeFileSync(compiledPath(root), JSON.stringify(stored).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return cat;
}

/** True when steps/ and templates/ list the same sources as the build and none has changed. */
function unchangedSince(root: string, stored: Stored['sources']): boolean {
  const files = catalogueSourceFiles(root);
  if (!Array.isArray(stored) || files.length !== stored.length) return false;
  return files.every((f, i) => {
    const s = stored[i]!;
    return s.rel === f.rel && typeof s.stat === 'string' && fingerprint(f.path).id === s.stat;
  });
}

/** The validated catalogue: from dist/catalogue.json when it matches the sources, else loaded. */
export function loadCatalogueCached(root: string, opts: LoadOptions & { shapesHash?: string }): Catalogue {
  const file = compiledPath(root);
  if (existsSync(file)) {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      if (
        stored.version === 2 &&
        stored.shapesHash === (opts.shapesHash ?? shapesHash(opts.shapes)) &&
        stored.codeHash === codeHash() &&
        (unchangedSince(root, stored.sources) || stored.hash === catalogueHash(catalogueSources(root)))
      ) {
        return { ...stored.catalogue, snippets: new Map(stored.catalogue.snippets) };
      }
    } catch {
      // A damaged cache is never trusted: fall through to the full validation.
    }
  }
  return loadCatalogue(root, opts);
}
