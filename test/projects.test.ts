// The test projects of vitest.config.ts: every test file runs in exactly one of them, and no file
// in `unit` starts a process or a server, so `npm run test:unit` stays a quick answer. The
// imports are read with the TypeScript parser (type-only imports start nothing and are skipped);
// test/support/unit-guard.ts refuses the same things at run time, for what imports cannot show.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import config, { SYSTEM_FILES } from '../vitest.config.js';
import { UNIT_GUARD_MESSAGE } from './support/unit-guard.js';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Modules that start processes or open sockets (node's, with or without `node:`, and packages). */
const STARTERS = new Set(['child_process', 'cluster', 'dgram', 'net', 'tls', 'http', 'https', 'http2', 'execa', 'esbuild', 'ssh2', 'pg']);
/** Source files that start a process or a server, or connect to one (ssh2 Client, pg Pool), themselves. */
const STARTS_SOMETHING = /\b(?:createServer|spawn|spawnSync|execFile|execFileSync|fork|execa)\(|new (?:ssh2\.)?Server\(|\.listen\(|new (?:pg\.)?(?:Pool|Client)\(/;

interface Project {
  name: string;
  include: string[];
  exclude: string[];
}

function projects(): Project[] {
  const list = (config as { test?: { projects?: { test?: { name?: string; include?: string[]; exclude?: string[] } }[] } }).test?.projects ?? [];
  return list.map((p) => ({ name: p.test?.name ?? '?', include: p.test?.include ?? [], exclude: p.test?.exclude ?? [] }));
}

function filesOf(p: Project): string[] {
  return globSync(p.include, { cwd: root, ignore: p.exclude }).sort();
}

/** The value imports of one file: static, re-exports and literal dynamic imports. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** A relative import's file (`./x.js` is written for `./x.ts` or `./x.tsx`), or undefined. */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const f of [`${stem}.ts`, `${stem}.tsx`, base]) if (existsSync(f) && f !== dirname(f)) return f;
  return undefined;
}

const bare = (spec: string): string => {
  const s = spec.replace(/^node:/, '');
  return s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s);
};

/** Whether a source file, or anything it imports from src/ (statically), starts something. */
const srcStarts = new Map<string, boolean>();
function startsSomething(file: string, seen = new Set<string>()): boolean {
  const known = srcStarts.get(file);
  if (known !== undefined) return known;
  if (seen.has(file)) return false;
  seen.add(file);
  let hit = STARTS_SOMETHING.test(readFileSync(file, 'utf8'));
  for (const spec of valueImports(file)) {
    if (hit) break;
    if (!spec.startsWith('.')) continue;
    const target = resolveRelative(file, spec);
    if (target) hit = startsSomething(target, seen);
  }
  srcStarts.set(file, hit);
  return hit;
}

/**
 * Why a test file would start a process or a server, judged from what it and the test helpers it
 * imports (transitively) import: a starter module, or a lab simulator / source module that starts
 * something. Returns the chains that show it; empty when the file is clean.
 */
function reasons(testFile: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(file)) {
      const via = [...chain, spec].join(' -> ');
      if (!spec.startsWith('.')) {
        if (STARTERS.has(bare(spec))) found.push(via);
        continue;
      }
      const target = resolveRelative(file, spec);
      if (!target) continue;
      const rel = relative(root, target);
      if (rel.startsWith('test/')) walk(target, [...chain, spec]);
      else if (rel.startsWith('src/') && (STARTS_SOMETHING.test(readFileSync(target, 'utf8')) || (rel.startsWith('src/lab/') && startsSomething(target)))) found.push(via);
    }
  };
  walk(join(root, testFile), [testFile]);
  return found;
}

describe('test projects', () => {
  const all = globSync(['test/**/*.test.ts', 'test/**/*.test.tsx'], { cwd: root }).sort();
  const byProject = projects().map((p) => ({ ...p, files: filesOf(p) }));

  it('has the unit, system and walk projects', () => {
    expect(byProject.map((p) => p.name)).toEqual(['unit', 'system', 'walk']);
    for (const p of byProject) expect(p.files.length, p.name).toBeGreaterThan(0);
  });

  it('runs every test file in exactly one project', () => {
    const problems = all.flatMap((f) => {
      const homes = byProject.filter((p) => p.files.includes(f)).map((p) => p.name);
      return homes.length === 1 ? [] : [`${f}: ${homes.length === 0 ? 'in no project' : homes.join(', ')}`];
    });
    expect(problems).toEqual([]);
    expect(byProject.flatMap((p) => p.files).sort()).toEqual(all);
  });

  it('lists only existing test files in SYSTEM_FILES', () => {
    expect(SYSTEM_FILES.filter((f) => !all.includes(f))).toEqual([]);
    expect(new Set(SYSTEM_FILES).size).toBe(SYSTEM_FILES.length);
  });

  it('keeps every file that starts a process or a server out of unit', () => {
    const unit = byProject.find((p) => p.name === 'unit')?.files ?? [];
    const offenders = unit.flatMap((f) => reasons(f).map((r) => `${r}`));
    expect(offenders).toEqual([]);
  });

  it('sees a starter where there is one (the check is not blind)', () => {
    // Files known to start things: sshd and openssl children, ssh2 lab servers, a postgres cluster.
    for (const f of ['test/transport/sshd.test.ts', 'test/cert/openssl-interop.test.ts', 'test/lab/ios.test.ts', 'test/session/team-pg.test.ts', 'test/session/processes.test.ts']) {
      expect(reasons(f).length, f).toBeGreaterThan(0);
    }
    // and passes a file that only reads and renders.
    expect(reasons('test/plan/format.test.ts')).toEqual([]);
  });

  it('refuses processes and servers at run time in unit', () => {
    // Loaded with require so the import scan above does not count this file as a starter.
    const cp = require('node:child_process') as typeof import('node:child_process');
    const net = require('node:net') as typeof import('node:net');
    expect(() => cp.spawnSync(process.execPath, ['-e', '0'])).toThrow(UNIT_GUARD_MESSAGE);
    expect(() => cp.execFile(process.execPath, ['-e', '0'])).toThrow(UNIT_GUARD_MESSAGE);
    expect(() => net.createServer().listen(0, '127.0.0.1')).toThrow(UNIT_GUARD_MESSAGE);
  });
});
