// Pure platform decisions: normalisation, prompts, paging, dialogue, questions, failure markers,
// and the one-clean-line gate (reliability.md cases 11 and 15).
import { describe, expect, it } from 'vitest';
import { decide, failureMarker, lineProblem } from '../../src/transport/platforms/decide.js';
import { ios, mmp, vos } from '../../src/transport/platforms/index.js';
import { normalise, StreamNormaliser } from '../../src/transport/ssh/normalise.js';

describe('normalise', () => {
  it('strips ANSI and turns CRLF and bare CR into LF (cli-facts §1.1)', () => {
    expect(normalise('a\r\n\radmin:\x1b[K')).toBe('a\nadmin:');
    expect(normalise('\x1b[1mPress <enter>\x1b[0m')).toBe('Press <enter>');
  });
  it('holds an escape or CR split across chunks', () => {
    const n = new StreamNormaliser();
    expect(n.push('x\r')).toBe('x');
    expect(n.push('\nadmin:\x1b[')).toBe('\nadmin:');
    expect(n.push('K ')).toBe(' ');
  });
});

describe('decide', () => {
  it('finds prompts per platform and mode', () => {
    expect(decide(vos, 'out\nadmin:', [], 0)).toMatchObject({ kind: 'prompt', mode: 'admin' });
    expect(decide(vos, 'Paste the Certificate and Hit Enter:', [], 0)).toEqual({ kind: 'wait' });
    expect(decide(ios, 'x\ncube1(ca-trustpoint)#', [], 0)).toMatchObject({ kind: 'prompt', mode: 'config' });
    expect(decide(ios, 'cube1#', [], 0)).toMatchObject({ kind: 'prompt', mode: 'privileged' });
    expect(decide(ios, 'cube1>', [], 0)).toMatchObject({ kind: 'prompt', mode: 'user' });
    expect(decide(mmp, 'cms1>', [], 0)).toMatchObject({ kind: 'prompt', mode: 'mmp' });
  });
  it('answers paging prompts itself (cli-facts §1.2)', () => {
    expect(decide(vos, 'a\nPress <enter> for 1 line, <space> for one page, or <q> to quit', [], 0)).toMatchObject({ kind: 'paging', keys: ' ' });
    expect(decide(vos, 'options: q=quit, n=next, p=prev, b=begin, e=end (lines 1 - 20 of 90) : ', [], 0)).toMatchObject({ kind: 'paging', keys: 'n' });
    expect(decide(vos, 'end of the file reached\noptions: q=quit, n=next, p=prev, b=begin, e=end (lines 80 - 90 of 90) : ', [], 0)).toMatchObject({ kind: 'paging', keys: 'q' });
    expect(decide(ios, ' --More-- ', [], 0)).toMatchObject({ kind: 'paging', keys: ' ' });
  });
  it('prefers a declared dialogue entry, earliest first', () => {
    const d = [{ expect: 'B?', answer: 'b' }, { expect: 'A?', answer: 'a' }];
    expect(decide(vos, 'A? B?', d, 0)).toEqual({ kind: 'dialogue', entry: 1, consumeTo: 2 });
    expect(decide(vos, 'A? B?', [d[0], undefined], 0)).toEqual({ kind: 'dialogue', entry: 0, consumeTo: 5 });
  });
  it('calls an undeclared question unexpected only after the settle time', () => {
    const q = 'Do you want to continue? (y/n):';
    expect(decide(vos, q, [], 10)).toEqual({ kind: 'wait' });
    expect(decide(vos, q, [], 1000)).toEqual({ kind: 'question', text: q });
    expect(decide(ios, '% Do you really want to replace them? [yes/no]: ', [], 1000)).toMatchObject({ kind: 'question' });
    expect(decide(ios, 'Proceed with reload? [confirm]', [], 1000)).toMatchObject({ kind: 'question' });
    expect(decide(vos, 'Cisco Tomcat[STOPPING]\n', [], 60_000)).toEqual({ kind: 'wait' });
    // A listing that pauses on "Subject Name:" is not a question until a long silence.
    expect(decide(vos, 'Subject Name:', [], 1000)).toEqual({ kind: 'wait' });
    expect(decide(vos, 'Enter the Common Name of Default CA Certificate :', [], 2500)).toMatchObject({ kind: 'question' });
  });
  it('finds failure markers even when the prompt came back (case 15)', () => {
    expect(failureMarker(vos, 'x\nExecuted command unsuccessfully\nadmin:')).toBe('Executed command unsuccessfully');
    expect(failureMarker(ios, "  ^\n% Invalid input detected at '^' marker.\ncube1#")).toBe("% Invalid input detected at '^' marker.");
    expect(failureMarker(mmp, 'FAILURE: bad\ncms1>')).toBe('FAILURE: bad');
    expect(failureMarker(mmp, 'SUCCESS: ok\ncms1>')).toBeUndefined();
  });
  it('IOS: the PKI dialogues\' % error lines fail, their % information lines do not (cli-facts §2.2–§2.5)', () => {
    for (const bad of ['% Error in receiving Certificate Authority certificate.', '% Error in saving certificate: status = FAIL', '% Could not find trustpoint TP', '% You must authenticate the Certificate Authority before you can enroll with it.', '% CA certificate not accepted', '% Bad secrets', '% Access denied'])
      expect(failureMarker(ios, `x\n${bad}\ncube1(config)#`), bad).toBe(bad);
    const info = [
      'The name for the keys will be: CUBE-ENT',
      '% The key modulus size is 2048 bits',
      '% Generating 2048 bit RSA keys, keys will be non-exportable...[OK] (elapsed time was 1 seconds)',
      '% You already have RSA keys defined named CUBE-ENT.',
      'Trustpoint CA certificate accepted.',
      '% Certificate successfully imported',
      '% Start certificate enrollment ..',
      '% The subject name in the certificate will include: CN=cube1.example.com',
      '% Router Certificate successfully imported',
      '%SYS-5-CONFIG_I: Configured from console by admin on vty0 (127.0.0.1)',
    ];
    expect(failureMarker(ios, `${info.join('\n')}\ncube1#`)).toBeUndefined();
  });
});

describe('one clean line (case 11)', () => {
  const specials = ['\n', '\r', '\0', '\x03', '\x1a', '\x1b', '\x7f', '\u2028', '\u2029', '\x9b'];
  it('refuses every control character at any position, on every platform', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 10_000; i++) {
      const base = 'cucm-pub.example.com'.slice(0, Math.floor(rnd() * 20));
      const pos = Math.floor(rnd() * (base.length + 1));
      const bad = base.slice(0, pos) + specials[i % specials.length]! + base.slice(pos);
      for (const spec of [vos, ios, mmp]) expect(lineProblem(spec, bad)).not.toBeNull();
    }
  });
  it('accepts clean lines; "?" only off IOS; over-long lines refused', () => {
    expect(lineProblem(vos, 'set cert import trust tomcat')).toBeNull();
    expect(lineProblem(vos, '-leading dash is the catalogue’s business')).toBeNull();
    expect(lineProblem(ios, 'show ?')).toMatch(/context help/);
    expect(lineProblem(vos, 'x'.repeat(1025))).toMatch(/longer/);
  });
  it('a platform\'s forbidden characters are its data, not a name the gate knows', () => {
    expect(lineProblem(vos, 'show ?')).toBeNull();
    expect(lineProblem({ ...vos, forbiddenChars: [{ char: '|', why: 'pipes output here' }] }, 'show version | more')).toBe('"|" pipes output here');
    expect(lineProblem({ ...ios, forbiddenChars: [] }, 'show ?')).toBeNull();
  });
});
