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
  catalogue: Omit<Catalogue, 'snippets'> & { snippets: [string, Snippet][] };
}

function shapesHash(shapes: Record<string, Shape>): string {
  return createHash('sha256').update(JSON.stringify(shapes)).digest('hex');
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
      if (stored.version === 1 && stored.shapesHash === shapesHash(opts.shapes) && stored.hash === catalogueHash(catalogueSources(root))) {
        return { ...stored.catalogue, snippets: new Map(stored.catalogue.snippets) };
      }
    } catch {
      // A damaged cache is never trusted: fall through to the full validation.
    }
  }
  return loadCatalogue(root, opts);
}
