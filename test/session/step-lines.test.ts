// The line diff a changed plan is reviewed with (issue 25): only removed and added lines, in
// order, a removed line before the one added in its place.
import { describe, expect, it } from 'vitest';
import { lineDiff, stepLines } from '../../src/session/step-lines.js';
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
