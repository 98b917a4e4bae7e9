import { describe, expect, it } from 'vitest';
import { evalExpr, parseExpr } from '../../src/catalogue/expr.js';
import { TemplateError, checkTemplate, renderTemplate } from '../../src/catalogue/template.js';

describe('strict templates', () => {
  const ctx = { node: { trustpoint: 'CUBE-Certificate', peers: ['a', 'b'], empty: '' }, n: 5 };

  it('renders values and joined lists', () => {
    expect(renderTemplate('trustpoint {{ node.trustpoint }} {{node.peers | join(",")}} {{n}}', ctx)).toBe('trustpoint CUBE-Certificate a,b 5');
  });

  it('refuses a missing or empty value instead of rendering a blank', () => {
    expect(() => renderTemplate('x {{node.missing}}', ctx)).toThrow(TemplateError);
    expect(() => renderTemplate('x {{node.empty}}', ctx)).toThrow(/no value for "node.empty"/);
  });

  it('checks variables against a shape', () => {
    const shape = { node: { trustpoint: 'string' as const, peers: { $list: 'string' as const } } };
    expect(checkTemplate('{{node.trustpoint}}', shape)).toEqual([]);
    expect(checkTemplate('{{node.peers}}', shape)[0]).toMatch(/needs \| join/);
    expect(checkTemplate('{{node.nope}}', shape)[0]).toMatch(/unknown variable/);
    expect(checkTemplate('{{ bad syntax! }}', shape)[0]).toMatch(/bad placeholder/);
  });
});

describe('when expressions', () => {
  const ctx = { f: { a: true, b: false }, list: [], s: 'x' };
  it.each([
    ['f.a', true],
    ['!f.a', false],
    ['f.a && f.b', false],
    ['f.a || f.b', true],
    ['!(f.a && f.b)', true],
    ["s == 'x'", true],
    ["s != 'x'", false],
    ['list', false],
  ])('%s → %s', (src, want) => {
    expect(evalExpr(parseExpr(src), ctx)).toBe(want);
  });
  it('rejects malformed expressions', () => {
    expect(() => parseExpr('f.a &&')).toThrow();
    expect(() => parseExpr('f.a $ b')).toThrow();
  });
});
