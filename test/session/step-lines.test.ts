// The line diff a changed plan is reviewed with (issue 25): only removed and added lines, in
// order, a removed line before the one added in its place.
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { loadPlan } from '../../src/plan/load-plan.js';
import { stepCommandsHash } from '../../src/session/hash.js';
import { lineDiff, reviewLines, stepLines } from '../../src/session/step-lines.js';
import { tempDir, removeTempDirs } from './temp-dirs.js';
import { makeStep } from './fixtures/plan.js';

describe('lineDiff', () => {
  it('shows only what changed, in order', () => {
    expect(lineDiff(['a', 'b', 'c', 'd'], ['a', 'B', 'c', 'd', 'e'])).toEqual([
      { op: '-', line: 'b' },
      { op: '+', line: 'B' },
      { op: '+', line: 'e' },
    ]);
    expect(lineDiff(['x', 'y'], ['y'])).toEqual([{ op: '-', line: 'x' }]);
    expect(lineDiff(['same'], ['same'])).toEqual([]);
    expect(lineDiff([], ['new'])).toEqual([{ op: '+', line: 'new' }]);
  });

  it('keeps a long unchanged run out of the result', () => {
    const old = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    const now = [...old.slice(0, 150), 'inserted', ...old.slice(150)];
    expect(lineDiff(old, now)).toEqual([{ op: '+', line: 'inserted' }]);
  });

  it('a step\'s lines name the target and carry its exact commands', () => {
    expect(stepLines(makeStep(1, ' --force'))).toEqual(['# cucm-pub (cucm-pub.example.com)', 'set cert regen tomcat S002 --force']);
  });
});

afterAll(removeTempDirs);

describe('reviewLines of the shipped example', () => {
  it('every step whose rendered commands change when the publisher moves shows the change in its lines', async () => {
    const dir = await tempDir();
    const text = await fs.readFile(path.join(import.meta.dirname, '../../examples/ent-pa.yaml'), 'utf8');
    await fs.writeFile(path.join(dir, 'a.yaml'), text);
    await fs.writeFile(path.join(dir, 'b.yaml'), text.replace('ip: 192.0.2.10,', 'ip: 192.0.2.99,'));
    const a = loadPlan(path.join(dir, 'a.yaml')).plan;
    const b = loadPlan(path.join(dir, 'b.yaml')).plan;
    const changed = a.steps.filter((s) => stepCommandsHash(s) !== stepCommandsHash(b.steps.find((t) => t.id === s.id)!));
    expect(changed.length).toBeGreaterThan(10);
    for (const s of changed) {
      const d = lineDiff(reviewLines(s), reviewLines(b.steps.find((t) => t.id === s.id)!));
      expect(d.length, s.id).toBeGreaterThan(0);
      expect(d.filter((l) => l.op === '+').some((l) => l.line.includes('192.0.2.99')), s.id).toBe(true);
      expect(d.filter((l) => l.op === '-').some((l) => l.line.includes('192.0.2.10')), s.id).toBe(true);
    }
  });
});
