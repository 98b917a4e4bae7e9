// The compiled catalogue trusts its stored hash without reading the sources only while
// steps/ and templates/ list the same sources as the build and each source's stat fingerprint is
// unchanged; any difference reads and hashes the sources again, so an edit is never missed.
//
// How a test tells the two paths apart, without a mock: the stored catalogue is marked (the first
// step's title replaced) and its stored hash replaced by zeros. If the sources are not read, the
// marked catalogue comes back; if they are read and hashed, the zeros do not match and the full
// load comes back with the real title.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledPath, loadCatalogueCached, writeCompiledCatalogue } from '../../src/catalogue/compiled.js';
import { CatalogueError, catalogueSourceFiles } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { targetShapes } from '../../src/inventory/shapes.js';

const opts = { shapes: targetShapes };
const MARK = 'title from the compiled catalogue';
const P001 = "Check that DNS resolves each node's FQDN to its address";
const roots: string[] = [];

/** A temp copy of the repo's steps/ and templates/ with an empty dist/. */
function copyRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'collabsec-fingerprint-'));
  roots.push(root);
  cpSync(join(packageRoot(), 'steps'), join(root, 'steps'), { recursive: true });
  cpSync(join(packageRoot(), 'templates'), join(root, 'templates'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  return root;
}

interface StoredView {
  version: number;
  hash: string;
  sources: { rel: string; stat: string | null }[];
  catalogue: { steps: { title: string }[] };
}
const stored = (root: string) => JSON.parse(readFileSync(compiledPath(root), 'utf8')) as StoredView;

/** Mark the stored catalogue; with `hash`, also make its stored hash match no sources. */
function mark(root: string, hash: boolean): void {
  const s = stored(root);
  s.catalogue.steps[0]!.title = MARK;
  if (hash) s.hash = '0'.repeat(64);
  writeFileSync(compiledPath(root), JSON.stringify(s));
}

/** True when loadCatalogueCached returned the stored catalogue without hashing a source. */
function unread(root: string): boolean {
  mark(root, true);
  const title = loadCatalogueCached(root, opts).steps[0]!.title;
  expect([MARK, P001]).toContain(title);
  return title === MARK;
}

function replaceIn(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

// Copies whose files are all older than the build's racily-clean bound (3 s), made once: a file
// written within 3 s before a build gets no fingerprint (the racy test below shows that).
const old: Record<string, string> = {};
const scenarios = ['unchanged', 'stat', 'same-size', 'mtime-restored', 'other-size', 'added', 'removed', 'racy', 'version'];
// An mtime a tool can set back exactly (whole seconds; utimes takes a double).
const SET_MTIME = 1_700_000_000;
beforeAll(async () => {
  for (const s of scenarios) old[s] = copyRoot();
  utimesSync(join(old['mtime-restored']!, 'steps', 'phase-0-preflight.yaml'), SET_MTIME, SET_MTIME);
  let newest = 0n;
  for (const root of Object.values(old)) {
    for (const f of catalogueSourceFiles(root)) {
      const st = statSync(f.path, { bigint: true });
      for (const t of [st.mtimeNs, st.ctimeNs]) if (t > newest) newest = t;
    }
  }
  const wait = Number(newest / 1_000_000n) + 3_100 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}, 30_000);
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('compiled catalogue fingerprints', () => {
  it('is used without reading a source while nothing changed (a non-source file does not count)', () => {
    const root = old['unchanged']!;
    writeCompiledCatalogue(root, opts);
    const s = stored(root);
    expect(s.version).toBe(2);
    expect(s.sources.map((x) => x.rel)).toEqual(catalogueSourceFiles(root).map((x) => x.rel));
    expect(s.sources.length).toBe(23);
    expect(s.sources.every((x) => typeof x.stat === 'string')).toBe(true);
    // steps/certificates.yaml and a stray file are not catalogue sources.
    writeFileSync(join(root, 'steps', 'notes.md'), 'x');
    replaceIn(join(root, 'steps', 'certificates.yaml'), '#', '# ');
    expect(unread(root)).toBe(true);
  });

  it('reads and hashes a source whose stat changed, and still uses the compiled catalogue when the hash matches', () => {
    const root = old['stat']!;
    writeCompiledCatalogue(root, opts);
    chmodSync(join(root, 'templates', 'ios.yaml'), 0o600); // ctime moves, content does not
    mark(root, false);
    expect(loadCatalogueCached(root, opts).steps[0]!.title).toBe(MARK);
    expect(unread(root)).toBe(false);
  });

  it('notices an edit of the same size (mtime and ctime moved)', () => {
    const root = old['same-size']!;
    writeCompiledCatalogue(root, opts);
    const file = join(root, 'steps', 'phase-0-preflight.yaml');
    const size = statSync(file).size;
    replaceIn(file, "each node's FQDN to its", "each node's name to its");
    expect(statSync(file).size).toBe(size);
    expect(loadCatalogueCached(root, opts).steps[0]!.title).toBe("Check that DNS resolves each node's name to its address");
  });

  it('notices an edit of the same size whose mtime was set back (touch -d, tar, cp -p): ctime moved', () => {
    const root = old['mtime-restored']!;
    writeCompiledCatalogue(root, opts);
    const file = join(root, 'steps', 'phase-0-preflight.yaml');
    const before = statSync(file, { bigint: true });
    expect(before.mtimeNs).toBe(BigInt(SET_MTIME) * 1_000_000_000n);
    replaceIn(file, "each node's FQDN to its", "each node's name to its");
    utimesSync(file, SET_MTIME, SET_MTIME);
    const after = statSync(file, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    expect(loadCatalogueCached(root, opts).steps[0]!.title).toBe("Check that DNS resolves each node's name to its address");
  });

  it('notices an edit of another size, and the defect it brings is reported', () => {
    const root = old['other-size']!;
    writeCompiledCatalogue(root, opts);
    replaceIn(join(root, 'templates', 'cucm.yaml'), 'utils ctl set-cluster mixed-mode', 'utils ctl set-cluster {{node.nosuch}}');
    expect(() => loadCatalogueCached(root, opts)).toThrow(CatalogueError);
  });

  it('notices an added phase file and an added template file', () => {
    const root = old['added']!;
    writeCompiledCatalogue(root, opts);
    const snippets = loadCatalogueCached(root, opts).snippets.size;
    cpSync(join(root, 'templates', 'local.yaml'), join(root, 'templates', 'local-copy.yaml'));
    expect(unread(root)).toBe(false);
    const cat = loadCatalogueCached(root, opts);
    expect(cat.snippets.size).toBeGreaterThan(snippets);
    expect(cat.snippets.has('local-copy/openssl-genrsa')).toBe(true);

    writeCompiledCatalogue(root, opts);
    cpSync(join(root, 'steps', 'phase-v-postflight.yaml'), join(root, 'steps', 'phase-w-copy.yaml'));
    expect(() => loadCatalogueCached(root, opts)).toThrow(/duplicate step id/);
  });

  it('notices a removed phase file and a renamed one', () => {
    const root = old['removed']!;
    writeCompiledCatalogue(root, opts);
    // Renamed out of the sources' pattern: the file keeps its inode and (on most filesystems) its
    // stat, only the listing tells.
    renameSync(join(root, 'steps', 'phase-v-postflight.yaml'), join(root, 'steps', 'postflight.yaml.off'));
    const cat = loadCatalogueCached(root, opts);
    expect(cat.steps.length).toBe(142);
    expect(cat.steps.some((s) => s.id.startsWith('V'))).toBe(false);

    renameSync(join(root, 'steps', 'postflight.yaml.off'), join(root, 'steps', 'phase-v-postflight.yaml'));
    writeCompiledCatalogue(root, opts);
    rmSync(join(root, 'steps', 'phase-h-mra-endpoints.yaml'));
    expect(loadCatalogueCached(root, opts).steps.length).toBeLessThan(145);
  });

  it('always hashes a source written within the racy window of the build', () => {
    // Every file of a fresh copy is racily clean: no fingerprint, every load reads and hashes.
    const fresh = copyRoot();
    writeCompiledCatalogue(fresh, opts);
    expect(stored(fresh).sources.every((x) => x.stat === null)).toBe(true);
    expect(unread(fresh)).toBe(false);

    // In an old copy, only the file just written goes without one.
    const root = old['racy']!;
    replaceIn(join(root, 'templates', 'cms.yaml'), '#', '#');
    writeCompiledCatalogue(root, opts);
    const s = stored(root);
    expect(s.sources.filter((x) => x.stat === null).map((x) => x.rel)).toEqual(['templates/cms.yaml']);
    expect(s.sources.filter((x) => x.stat !== null).length).toBe(22);
    expect(unread(root)).toBe(false);
  });

  it('ignores a catalogue written by the previous format (no fingerprints)', () => {
    const root = old['version']!;
    writeCompiledCatalogue(root, opts);
    mark(root, false);
    const s = JSON.parse(readFileSync(compiledPath(root), 'utf8')) as Record<string, unknown>;
    s['version'] = 1;
    delete s['sources'];
    writeFileSync(compiledPath(root), JSON.stringify(s));
    expect(loadCatalogueCached(root, opts).steps[0]!.title).toBe(P001);
  });
});
