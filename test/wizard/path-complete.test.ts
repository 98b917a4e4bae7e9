// Tab completion of paths on the certificate screen (issue 25): as a shell, from the folder the
// screen names, folders with "/", hidden entries only when asked for, and a bounded folder read.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completePath, resolveTyped } from '../../src/wizard/path-complete.js';
import { tempDir } from '../cert/pki.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('collabsec-complete-');
  await mkdir(join(dir, 'certs'));
  for (const f of ['tomcat.pem', 'tomcat.csr', 'callmanager.pem', '.hidden.pem', 'certs/chain.pem']) await writeFile(join(dir, f), 'x');
  await mkdir(join(dir, 'many'));
  for (let i = 0; i < 30; i++) await writeFile(join(dir, 'many', `f${String(i).padStart(2, '0')}.pem`), 'x');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('completePath', () => {
  it('completes a unique file, a folder with "/", and inside a folder', () => {
    expect(completePath('call', dir)).toMatchObject({ value: 'callmanager.pem', matches: ['callmanager.pem'] });
    expect(completePath('cer', dir)).toMatchObject({ value: 'certs/', matches: ['certs/'] });
    expect(completePath('certs/', dir)).toMatchObject({ value: 'certs/chain.pem' });
    expect(completePath(`${dir}/certs/ch`, '/nowhere')).toMatchObject({ value: `${dir}/certs/chain.pem` });
  });

  it('several matches complete to their common prefix and are all listed; hidden ones only when asked for', () => {
    expect(completePath('tom', dir)).toEqual({ value: 'tomcat.', matches: ['tomcat.csr', 'tomcat.pem'], truncated: false });
    expect(completePath('', dir).matches).not.toContain('.hidden.pem');
    expect(completePath('.h', dir)).toMatchObject({ value: '.hidden.pem' });
  });

  it('nothing matching, or a folder that does not exist, leaves the text as typed', () => {
    expect(completePath('zzz', dir)).toEqual({ value: 'zzz', matches: [], truncated: false });
    expect(completePath('nope/x', dir)).toEqual({ value: 'nope/x', matches: [], truncated: false });
  });

  it('reads at most the bound of a folder and says the list may be incomplete', () => {
    const c = completePath('many/f', dir, 10);
    expect(c.matches.length).toBeLessThanOrEqual(10);
    expect(c.truncated).toBe(true);
    expect(completePath('many/f', dir).truncated).toBe(false);
  });

  it('~/ is the home folder; relative paths resolve against the folder given', () => {
    expect(resolveTyped('~/x.pem', dir)).toBe(join(homedir(), 'x.pem'));
    expect(resolveTyped('x.pem', dir)).toBe(join(dir, 'x.pem'));
    expect(resolveTyped('/abs/x.pem', dir)).toBe('/abs/x.pem');
  });
});
