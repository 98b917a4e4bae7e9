// A throwaway catalogue folder for load-time validation tests (steps, templates, products), removed
// after each test, and the problems its load reports.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A catalogue root with one phase file holding `steps` (YAML list items), one VOS template file and one product. */
export function writeCatalogue(o: { product: string; steps: string; vosTemplates: string }): string {
  const root = mkdtempSync(join(tmpdir(), 'collabsec-cat-'));
  dirs.push(root);
  mkdirSync(join(root, 'steps'));
  mkdirSync(join(root, 'templates'));
  writeFileSync(join(root, 'steps', 'products.yaml'), `products:\n  - { id: ${o.product}, name: ${o.product} }\n`);
  writeFileSync(join(root, 'templates', 'vos.yaml'), o.vosTemplates);
  writeFileSync(join(root, 'steps', 'phase-a.yaml'), `phase: A\ntitle: Test\nsteps:\n${o.steps}`);
  return root;
}

/** The problems loading `root` reports (the test fails if it loads). */
export function loadProblems(root: string): string[] {
  try {
    loadCatalogue(root, { shapes: targetShapes });
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogueError);
    return (err as CatalogueError).problems;
  }
  throw new Error('catalogue unexpectedly loaded');
}
