// The precompiled catalogue is used only while it matches the sources; any edit falls back to the
// full validation, so a stale or damaged cache can never hide a catalogue defect.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledPath, loadCatalogueCached, writeCompiledCatalogue } from '../../src/catalogue/compiled.js';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { targetShapes } from '../../src/inventory/shapes.js';

const root = mkdtempSync(join(tmpdir(), 'collabsec-compiled-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
cpSync(join(packageRoot(), 'steps'), join(root, 'steps'), { recursive: true });
cpSync(join(packageRoot(), 'templates'), join(root, 'templates'), { recursive: true });
mkdirSync(join(root, 'dist'));
const opts = { shapes: targetShapes };

describe('compiled catalogue', () => {
  it('round-trips to the same catalogue as a full load', () => {
    writeCompiledCatalogue(root, opts);
    const cached = loadCatalogueCached(root, opts);
    const full = loadCatalogue(root, opts);
    expect(cached.hash).toBe(full.hash);
    expect(cached.steps).toEqual(full.steps);
    expect([...cached.snippets.entries()]).toEqual([...full.snippets.entries()]);
  });

  it('is ignored once a source changes: the defect is still reported', () => {
    writeCompiledCatalogue(root, opts);
    const file = join(root, 'templates', 'cucm.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('utils ctl set-cluster mixed-mode', 'utils ctl set-cluster {{node.nosuch}}'));
    expect(() => loadCatalogueCached(root, opts)).toThrow(CatalogueError);
    writeFileSync(file, original);
  });

  it('is ignored when written by another schema or loader (a stored default would be stale)', () => {
    writeCompiledCatalogue(root, opts);
    const stored = JSON.parse(readFileSync(compiledPath(root), 'utf8')) as { codeHash: string; catalogue: { steps: { id: string }[] } };
    stored.codeHash = '0'.repeat(64);
    stored.catalogue.steps = [stored.catalogue.steps[0]!];
    writeFileSync(compiledPath(root), JSON.stringify(stored));
    expect(loadCatalogueCached(root, opts).steps.length).toBe(145);
  });

  it('is ignored when damaged or built for other shapes', () => {
    writeCompiledCatalogue(root, opts);
    writeFileSync(compiledPath(root), '{"version":1,');
    expect(loadCatalogueCached(root, opts).steps.length).toBe(145);
    writeCompiledCatalogue(root, { shapes: { ...targetShapes, extra: { node: { name: 'string' } } } });
    expect(loadCatalogueCached(root, opts).steps.length).toBe(145);
  });
});
