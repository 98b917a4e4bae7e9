// `collabsec lab`: devices start, the inventory is valid and points at them, known_hosts holds
// their keys, the printed passwords log in, and the lab stops when told to.
import { readFileSync, statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runLab } from '../../src/commands/lab.js';
import { loadInventory } from '../../src/inventory/load.js';
import { openShell } from './helpers.js';

interface LabJson {
  devices: { name: string; kind: string; port: number; fingerprint: string }[];
  env: Record<string, string>;
  inventory: string;
  knownHosts: string;
}

describe('collabsec lab', () => {
  it('starts four devices, writes a valid inventory and known_hosts, stops on request', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const io = { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() };
    const done = runLab(['--json'], io, () => stopped);
    while (!out.includes('"caKey"')) await new Promise((r) => setTimeout(r, 50));
    const lab = JSON.parse(out) as LabJson;
    expect(lab.devices.map((d) => d.kind)).toEqual(['vos-publisher', 'vos-subscriber', 'ios', 'cms']);

    const inv = loadInventory(lab.inventory).inventory;
    const pub = lab.devices[0]!;
    expect(inv.cucm[0]?.publisher).toMatchObject({ host: pub.name, ip: '127.0.0.1', sshPort: pub.port });
    expect(inv.ios[0]?.sshPort).toBe(lab.devices[2]!.port);
    expect(inv.cms?.nodes).toHaveLength(1);
    expect(statSync(lab.inventory).mode & 0o777).toBe(0o600);

    const kh = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    expect(kh).toHaveLength(4);
    expect(kh[0]).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${pub.port} ssh-ed25519 AAAA`));

    const vos = inv.credentials.vos!;
    const sh = await openShell(pub.port, { username: vos.username, password: lab.env[vos.passwordEnv!]! });
    await sh.expect(/admin:$/, 10_000);
    sh.close();

    stop();
    expect(await done).toBe(0);
  });
});
