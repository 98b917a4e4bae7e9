// Precompiled catalogue: `npm run build` validates steps/ + templates/ once and stores the result
// in dist/catalogue.json with the sources' hash. At run time the sources are hashed (cheap) and
// the stored catalogue is used only when the hash and the target shapes match; otherwise (an
// edited step, a development tree) the full load-and-validate path runs. Parsing ~130 KB of YAML
// was most of `plan`'s start-up time.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Shape } from './shape.js';
import { type Catalogue, type LoadOptions, type Snippet, catalogueHash, catalogueSources, loadCatalogue } from './load.js';

interface Stored {
  version: 1;
  hash: string;
  shapesHash: string;
  /** The schema and loader that produced it: their defaults are in the stored steps. */
  codeHash: string;
  catalogue: Omit<Catalogue, 'snippets'> & { snippets: [string, Snippet][] };
}

declare const COLLABSEC_CATALOGUE_CODE_HASH: string | undefined;

function shapesHash(shapes: Record<string, Shape>): string {
  return createHash('sha256').update(JSON.stringify(shapes)).digest('hex');
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
  const h = createHash('sha256');
  for (const m of ['schema', 'load']) h.update(readFileSync(new URL(`./${m}.${ext}`, import.meta.url)));
  return h.digest('hex');
}

export function compiledPath(root: string): string {
  return join(root, 'dist', 'catalogue.json');
}

export function writeCompiledCatalogue(root: string, opts: LoadOptions): Catalogue {
  const cat = loadCatalogue(root, opts);
  const stored: Stored = {
    version: 1,
    hash: cat.hash,
    shapesHash: shapesHash(opts.shapes),
    codeHash: codeHash(),
    catalogue: { ...cat, snippets: [...cat.snippets.entries()] },
  };
  writeFileSync(compiledPath(root), JSON.stringify(stored));
  return cat;
}

/** The validated catalogue: from dist/catalogue.json when it matches the sources, else loaded. */
export function loadCatalogueCached(root: string, opts: LoadOptions): Catalogue {
  const file = compiledPath(root);
  if (existsSync(file)) {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      if (stored.version === 1 && stored.shapesHash === shapesHash(opts.shapes) && stored.codeHash === codeHash() && stored.hash === catalogueHash(catalogueSources(root))) {
        return { ...stored.catalogue, snippets: new Map(stored.catalogue.snippets) };
      }
    } catch {
      // A damaged cache is never trusted: fall through to the full validation.
    }
  }
  return loadCatalogue(root, opts);
}
