// The sanitizer every layer uses for text it did not write (issue 19 slice 2).
import { describe, expect, it } from 'vitest';
import { hasControls, isCleanLine, stripControls, stripLine } from '../../src/text/controls.js';

describe('stripControls', () => {
  it('keeps printable text, tabs, newlines and non-Latin letters as they are', () => {
    const t = 'admin:show status\n\tCPU 3%  Zürich — 東京 עברית\n';
    expect(stripControls(t)).toBe(t);
    expect(hasControls(t)).toBe(false);
  });

  it('removes C1 controls, including 8-bit CSI and OSC sequences with their parameters', () => {
    expect(stripControls('a\u009b31mred\u009b0m b')).toBe('ared b');
    expect(stripControls('x\u009d0;pwned title\u0007y')).toBe('xy');
    expect(stripControls('x\u009d0;t\u009cy')).toBe('xy');
    expect(stripControls('a\u0085b')).toBe('a\nb');
    for (let c = 0x80; c <= 0x9f; c++) expect(stripControls(`a${String.fromCharCode(c)}b`)).not.toMatch(/[\u0080-\u009f]/);
  });

  it('removes bidi overrides, isolates and marks, and zero-width characters', () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
    const zw = ['\u200b', '\u200c', '\u200d', '\ufeff', '\u2060'];
    for (const c of [...bidi, ...zw]) expect(stripControls(`ok${c}ay`)).toBe('okay');
    expect(stripControls('\ufeffBOM first')).toBe('BOM first');
    expect(hasControls('a\u202eb')).toBe(true);
  });

  it('removes 7-bit escape sequences (CSI, OSC to BEL or ST, DCS, two-byte) and other C0 controls', () => {
    expect(stripControls('\x1b[2J\x1b[Hclear\x1b]0;title\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x1bPq#0\x1b\\d\x1b(Be\x1b=f')).toBe('clear link def');
    expect(stripControls('a\x00b\x07c\x08d\x7fe\x1b')).toBe('abcde');
    expect(stripControls('a\x1b]0;unterminated')).toBe('a');
  });

  it('folds CR, CRLF and the Unicode separators into LF; stripLine makes one line', () => {
    expect(stripControls('a\r\nb\rc\u2028d\u2029e')).toBe('a\nb\nc\nd\ne');
    expect(stripLine('user\n\tname\x1b]0;x\x07')).toBe('user  name');
  });

  it('is linear: 8 MB of controls and text without a line break', () => {
    const big = 'ab\u202e\u009b1m\x1b[K'.repeat(1_000_000);
    expect(stripControls(big)).toBe('ab'.repeat(1_000_000));
  });
});

describe('isCleanLine', () => {
  // The plan's text view skips stripLine for clean lines (src/plan/format/text.ts): it must say
  // "clean" exactly when stripLine would change nothing, for every character stripLine handles.
  it('is true exactly when stripLine returns the line unchanged', () => {
    const chars: string[] = [];
    for (let c = 0; c <= 0x2ff; c++) chars.push(String.fromCharCode(c));
    for (let c = 0x2000; c <= 0x206f; c++) chars.push(String.fromCharCode(c));
    chars.push('\u061c', '\ufeff', '\ufff9', '\ufffa', '\ufffb', '\ufffc', '\ue000', 'é', '→', '✓');
    for (const ch of chars) {
      const line = `ok ${ch} ok`;
      expect(isCleanLine(line), JSON.stringify(line)).toBe(stripLine(line) === line);
    }
    expect(isCleanLine('crypto pki trustpoint CA-Root')).toBe(true);
    expect(isCleanLine('a\tb')).toBe(false);
  });
});
