// known_hosts reading (plain, [host]:port, hashed |1|, markers) and writing (0600), and the
// fingerprint format of OpenSSH (reliability.md case 6).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { KNOWN_HOSTS_MAX_BYTES, TLS_PINS_MAX_BYTES } from '../../src/io/bounded-read.js';
import { tlsPinStore } from '../../src/transport/tls-pins.js';
import { checkHostKey, fingerprint, formatEntry, knownHostsStore, parseKnownHosts } from '../../src/transport/ssh/known-hosts.js';
import { newHostKey } from './fixture.js';
import { tmp } from './helpers.js';

const a = newHostKey().pub;
const b = newHostKey().pub;

describe('known_hosts', () => {
  it('reads plain, [host]:port, lists, wildcards and hashed entries', () => {
    const text = [
      '# comment',
      formatEntry('cucm-pub', 22, a).trim(),
      formatEntry('127.0.0.1', 2222, b).trim(),
      `cube1,10.0.0.5 ${formatEntry('x', 22, a).split(' ').slice(1).join(' ').trim()}`,
      formatEntry('hashed-host', 22, b, true).trim(),
      `*.lab.example ${formatEntry('x', 22, a).split(' ').slice(1).join(' ').trim()}`,
    ].join('\n');
    const e = parseKnownHosts(text);
    expect(e).toHaveLength(5);
    expect(checkHostKey(e, 'cucm-pub', 22, a).status).toBe('trusted');
    expect(checkHostKey(e, '127.0.0.1', 2222, b).status).toBe('trusted');
    expect(checkHostKey(e, '127.0.0.1', 22, b).status).toBe('unknown'); // the port is part of the name
    expect(checkHostKey(e, '10.0.0.5', 22, a).status).toBe('trusted');
    expect(checkHostKey(e, 'hashed-host', 22, b).status).toBe('trusted');
    expect(e[3]!.hosts[0]).toMatch(/^\|1\|/);
    expect(checkHostKey(e, 'cms.lab.example', 22, a).status).toBe('trusted');
    const changed = checkHostKey(e, 'cucm-pub', 22, b);
    expect(changed).toMatchObject({ status: 'changed', fingerprint: fingerprint(b), known: [`ssh-ed25519 ${fingerprint(a)}`] });
  });

  it('honours @revoked and ignores @cert-authority', () => {
    const k = formatEntry('x', 22, a).split(' ').slice(1).join(' ').trim();
    const e = parseKnownHosts(`@revoked * ${k}\n@cert-authority *.example ${k}\n`);
    expect(checkHostKey(e, 'h', 22, a).status).toBe('revoked');
    expect(checkHostKey(e, 'h.example', 22, b).status).toBe('unknown');
  });

  it('prints fingerprints exactly like ssh-keygen -lf', () => {
    if (!existsSync('/usr/bin/ssh-keygen')) return;
    const f = path.join(tmp(), 'k.pub');
    writeFileSync(f, formatEntry('h', 22, a).split(' ').slice(1).join(' '));
    expect(execFileSync('/usr/bin/ssh-keygen', ['-lf', f], { encoding: 'utf8' })).toContain(fingerprint(a));
  });

  it('appends accepted keys to a file created 0600 (umask 000), and reads the user file too', async () => {
    const dir = tmp();
    const user = path.join(dir, 'user_known_hosts');
    writeFileSync(user, formatEntry('cube1', 22, b));
    const file = path.join(dir, 'collabsec', 'known_hosts');
    const store = knownHostsStore({ file, alsoRead: [user] });
    const old = process.umask(0);
    try {
      await store.append('127.0.0.1', 2022, a);
    } finally {
      process.umask(old);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^\[127\.0\.0\.1\]:2022 ssh-ed25519 /);
    const e = await store.load();
    expect(checkHostKey(e, '127.0.0.1', 2022, a).status).toBe('trusted');
    expect(checkHostKey(e, 'cube1', 22, b).status).toBe('trusted');
  });
});

// Issue 19: trust files are read bounded like every other file; a device or runaway file is one
// operator error naming it, never a slurp (a 200 MB file, or /dev/zero, that never ends).
describe('bounded trust files', () => {
  it('known_hosts and the TLS pin file: missing is empty, a device or an oversized file is refused naming it', async () => {
    const dir = tmp();
    const missing = path.join(dir, 'none');
    expect(await knownHostsStore({ file: missing, alsoRead: [path.join(dir, 'none2')] }).load()).toEqual([]);
    expect(await tlsPinStore({ file: missing }).load()).toEqual([]);

    const err = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UserError);
    const zero = await err(knownHostsStore({ file: path.join(dir, 'kh'), alsoRead: ['/dev/zero'] }).load());
    expect(zero).toBeInstanceOf(UserError);
    expect(zero!.message).toBe('known_hosts file /dev/zero is a character device, not a regular file');

    const big = path.join(dir, 'big');
    writeFileSync(big, '');
    truncateSync(big, KNOWN_HOSTS_MAX_BYTES + 1);
    expect((await err(knownHostsStore({ file: big }).load()))!.message).toMatch(/^known_hosts file .*big is too large/);
    const pins = path.join(dir, 'pins');
    writeFileSync(pins, '');
    truncateSync(pins, TLS_PINS_MAX_BYTES + 1);
    const p = await err(tlsPinStore({ file: pins }).load());
    expect(p).toBeInstanceOf(UserError);
    expect(p!.message).toMatch(/^TLS pin file .*pins is too large/);
  });
});
