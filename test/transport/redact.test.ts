// reliability.md case 8: a secret echoed by the device, split at every byte boundary, never
// appears in a transcript, a hook or a result; transcripts are 0600 from the first byte.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { describe, expect, it } from 'vitest';
import { StreamNormaliser } from '../../src/transport/ssh/normalise.js';
import { Redactor, REDACTED, REDACTED_KEY, TranscriptWriter } from '../../src/transport/ssh/redact.js';
import { tmp } from './helpers.js';

const PASSWORD = 'S3cr€t-pässword!';
const CA = 'ca-user:ca-p@ss';
const KEY = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAx5Q', 'c2VjcmV0IGtleSBtYXRlcmlhbA==', '-----END RSA PRIVATE KEY-----'].join('\r\n');
const TEXT = `admin:show x\r\nuser admin password ${PASSWORD} ok\r\n\x1b[1m${CA}\x1b[0m and https://u:${encodeURIComponent(PASSWORD)}@ca/\r\n${KEY}\r\ntail ${PASSWORD}`;

/** Run bytes through the same pipeline as the shell: UTF-8 decoder → normaliser → redactor. */
function pipeline(chunks: Buffer[], secrets: string[]): string {
  const dec = new StringDecoder('utf8');
  const norm = new StreamNormaliser();
  const red = new Redactor(secrets);
  let out = '';
  for (const c of chunks) out += red.push(norm.push(dec.write(c)));
  out += red.push(norm.end()) + red.end();
  return out;
}

function assertClean(out: string): void {
  expect(out).not.toContain(PASSWORD);
  expect(out).not.toContain(encodeURIComponent(PASSWORD));
  expect(out).not.toContain(CA);
  expect(out).not.toContain('c2VjcmV0IGtleSBtYXRlcmlhbA');
  expect(out).not.toContain('MIIEowIBAAKCAQEAx5Q');
}

describe('redaction', () => {
  const bytes = Buffer.from(TEXT, 'utf8');
  const whole = pipeline([bytes], [PASSWORD, CA]);

  it('redacts passwords, their URL form, CA credentials and PEM private keys', () => {
    assertClean(whole);
    expect(whole).toContain(REDACTED);
    expect(whole).toContain(REDACTED_KEY);
    expect(whole).toContain('admin:show x\nuser admin password [REDACTED] ok\n');
    expect(whole.endsWith(`tail ${REDACTED}`)).toBe(true);
  });

  it('gives the same output for a split at every byte boundary', () => {
    for (let i = 1; i < bytes.length; i++) {
      const out = pipeline([bytes.subarray(0, i), bytes.subarray(i)], [PASSWORD, CA]);
      expect(out, `split at ${i}`).toBe(whole);
    }
  });

  it('gives the same output when fed one byte at a time', () => {
    const dec = new StringDecoder('utf8');
    const norm = new StreamNormaliser();
    const red = new Redactor([PASSWORD, CA]);
    const pieces: string[] = [];
    for (const b of bytes) pieces.push(red.push(norm.push(dec.write(Buffer.from([b])))));
    pieces.push(red.push(norm.end()) + red.end());
    expect(pieces.join('')).toBe(whole);
  });

  it('holds back a partial secret until it is decided, then releases a non-secret', () => {
    const r = new Redactor(['hunter2']);
    expect(r.push('pass hun')).toBe('pass ');
    expect(r.push('ter')).toBe('');
    // "hunter" is 6 of the secret's 7 characters: a partial echo, redacted (issue 19).
    expect(r.push('3 more')).toBe(`${REDACTED}3 more`);
    expect(r.push(' hun')).toBe(' ');
    expect(r.push('t more')).toBe('hunt more');
    expect(r.push('hunter')).toBe('');
    expect(r.push('2')).toBe(REDACTED);
    expect(r.push('!')).toBe('!');
  });

  it('issue 19: redacts partial echoes of a secret (its last or first characters missing), split anywhere', () => {
    const pw = 'Adm1n-Pa55word';
    const echoes = [`admin:${pw.slice(0, -1)}\r\n`, `x ${pw.slice(2)} y`, `[${pw.slice(1, -2)}]`, `${pw.slice(0, -3)}`];
    for (const e of echoes) {
      const bytes = Buffer.from(e, 'utf8');
      const whole = pipeline([bytes], [pw]);
      expect(whole, e).toContain(REDACTED);
      for (let i = 1; i < bytes.length; i++) {
        const out = pipeline([bytes.subarray(0, i), bytes.subarray(i)], [pw]);
        expect(out, `${e} split at ${i}`).toBe(whole);
        // No run of 5 characters of the secret survives anywhere.
        for (let j = 0; j + 5 <= pw.length; j++) expect(out).not.toContain(pw.slice(j, j + 5));
      }
    }
    expect(pipeline([Buffer.from(`admin:${pw.slice(0, -1)}\r\nadmin:`)], [pw])).toBe(`admin:${REDACTED}\nadmin:`);
  });

  it('issue 19: short runs of a secret and ordinary output stay (a password starting with the user name)', () => {
    const r = new Redactor(['admin1234!']);
    expect(r.push('admin:show status\nadmin12 ok\nadmin:') + r.end()).toBe('admin:show status\nadmin12 ok\nadmin:');
    expect(new Redactor(['admin1234!']).scrub('login admin1234 done')).toBe(`login ${REDACTED} done`);
  });

  it('issue 19: a secret echoed with a zero-width character or C1 control inside is still redacted', () => {
    expect(pipeline([Buffer.from('pw: hun\u200bter\u009b1m2 !')], ['hunter2'])).toBe(`pw: ${REDACTED} !`);
  });

  it('issue 19: linear on output without line breaks that opens a key header or partial secrets', () => {
    const r = new Redactor(['hunter2']);
    let out = 0;
    const chunk = '-----BEGIN ' + 'hunte hunt '.repeat(3000);
    for (let i = 0; i < 300; i++) out += r.push(chunk).length;
    out += r.end().length;
    expect(out).toBe(chunk.length * 300);
  });

  it('never releases an unterminated private key', () => {
    const r = new Redactor();
    const out = r.push('x\n-----BEGIN PRIVATE KEY-----\nAAAA') + r.push('BBBB') + r.end();
    expect(out).toBe('x\n' + REDACTED_KEY);
  });

  it('leaves certificates and CSRs alone (they are public)', () => {
    const r = new Redactor(['pw12']);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(r.push(pem) + r.end()).toBe(pem);
  });

  it('transcript files are created 0600 even under umask 000', async () => {
    const old = process.umask(0);
    try {
      const file = path.join(tmp(), 'sub', 'node.log');
      const t = await TranscriptWriter.open(file);
      t.write('hello');
      await t.close();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(readFileSync(file, 'utf8')).toBe('hello');
    } finally {
      process.umask(old);
    }
  });
});
