// Release names compare numerically, component by component (issue 23): the catalogue's `when:`
// can depend on the release an inventory names, as data.
import { describe, expect, it } from 'vitest';
import { checkExpr, evalExpr, parseExpr } from '../../src/catalogue/expr.js';
import { compareVersions, parseVersion } from '../../src/catalogue/version.js';

const sign = (a: string, b: string) => Math.sign(compareVersions(a, b));

describe('release comparison', () => {
  it.each([
    ['12.5', '14', -1],
    ['14', '15', -1],
    ['12.5', '15', -1],
    ['15', '15.0', 0],
    ['14', '14SU2', -1],
    ['14SU2', '14SU3', -1],
    ['14SU3', '15', -1],
    ['12.5SU6', '12.5', 1],
    ['X14', 'X15.4', -1],
    ['X15', 'X15.4', -1],
    ['X15.4', 'X15.10', -1],
    ['X15.5', 'X15.4', 1],
    ['x15.4', 'X15.4', 0],
    ['X12.5', 'X14', -1],
    ['2.x', '3.0', -1],
    ['3.x', '3.0', 0],
    ['3.x', '3', 0],
    ['16', '17', -1],
    ['17.9', '17.12', -1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(sign(a, b)).toBe(want);
  });

  it('refuses names that are no release, and releases of different products', () => {
    expect(parseVersion('fifteen')).toBeUndefined();
    expect(parseVersion('')).toBeUndefined();
    expect(parseVersion('1.2.3.4.5')).toBeUndefined();
    expect(() => compareVersions('15', 'latest')).toThrow(/not a release name/);
    expect(() => compareVersions('X15', '15')).toThrow(/different products/);
  });
});

describe('release comparison in when: expressions', () => {
  const ctx = { cms: { version: '3.x' }, exp: { version: 'X14' }, cluster: { version: '12.5' } };
  it.each([
    ["cms.version >= '3.0'", true],
    ["cms.version < '3'", false],
    ["exp.version < 'X15.4'", true],
    ["exp.version >= 'X15.4'", false],
    ["cluster.version < '14'", true],
    ["cluster.version <= '12.5'", true],
    ["cluster.version > '12.5'", false],
    ["cluster.version >= '14SU2' || exp.version == 'X14'", true],
    ["!(cms.version > '2.x') || cluster.version < '15'", true],
  ])('%s → %s', (src, want) => {
    expect(evalExpr(parseExpr(src), ctx)).toBe(want);
  });

  it('checks the release literal at load', () => {
    expect(checkExpr("cms.version >= 'three'", { cms: { version: 'string' } })[0]).toMatch(/'three' is not a release name/);
    expect(checkExpr("cms.version >= (cms.a && cms.b)", { cms: { version: 'string' } })[0]).toMatch(/compares a variable with a release name/);
    expect(checkExpr("cms.versin >= '3'", { cms: { version: 'string' } })[0]).toMatch(/unknown variable "cms.versin"/);
    expect(checkExpr("cms.version >= '3'", { cms: { version: 'string' } })).toEqual([]);
  });
});
