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
  it('starts every SSH node of the example, writes a valid inventory and known_hosts, stops on request', async () => {
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
    expect(lab.devices.map((d) => d.name)).toEqual([
      'us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-cm-tftp1', 'us-imp-pub', 'us-imp-sub1', 'us-cuc', 'us-cuc2', 'us-pcd',
      'US-CUBE1', 'US-SRST1', 'us-acano1', 'us-acano2', 'us-cmsdb', 'us-cmscb', 'us-expc1', 'us-expc2', 'us-expe1', 'us-expe2',
    ]);
    expect(lab.devices.filter((d) => d.kind === 'expressway').map((d) => d.name)).toEqual(['us-expc1', 'us-expc2', 'us-expe1', 'us-expe2']);
    expect(lab.devices.filter((d) => d.kind === 'vos-publisher').map((d) => d.name)).toEqual(['us-cm-pub', 'us-imp-pub', 'us-cuc', 'us-pcd']);

    const inv = loadInventory(lab.inventory).inventory;
    const port = (name: string) => lab.devices.find((d) => d.name === name)!.port;
    const pub = lab.devices[0]!;
    expect(inv.cucm[0]?.publisher).toMatchObject({ host: pub.name, ip: '127.0.0.1', sshPort: pub.port });
    expect(inv.cucm[0]?.imp?.subscribers[0]).toMatchObject({ host: 'us-imp-sub1', ip: '127.0.0.1', sshPort: port('us-imp-sub1') });
    expect(inv.unity?.subscriber).toMatchObject({ ip: '127.0.0.1', sshPort: port('us-cuc2') });
    expect(inv.pcd).toMatchObject({ ip: '127.0.0.1', sshPort: port('us-pcd') });
    expect(inv.ios.map((r) => r.sshPort)).toEqual([port('US-CUBE1'), port('US-SRST1')]);
    // Each Meeting Server node keeps its own services.
    expect(inv.cms?.nodes.map((n) => [n.host, n.sshPort, n.services])).toEqual([
      ['us-acano1', port('us-acano1'), ['callbridge', 'webadmin', 'webbridge', 'database']],
      ['us-acano2', port('us-acano2'), ['callbridge', 'webadmin', 'webbridge', 'database']],
      ['us-cmsdb', port('us-cmsdb'), ['database']],
      ['us-cmscb', port('us-cmscb'), ['callbridge']],
    ]);
    // Every Expressway peer's admin SSH is offered, with its own credential variable (printed in env).
    expect(inv.expressway?.adminSsh).toBe(true);
    expect(inv.expressway?.e.nodes.map((n) => [n.ip, n.sshPort])).toEqual([['127.0.0.1', port('us-expe1')], ['127.0.0.1', port('us-expe2')]]);
    expect(Object.keys(lab.env)).toContain(inv.credentials.expressway!.passwordEnv);
    expect(statSync(lab.inventory).mode & 0o777).toBe(0o600);

    const kh = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    expect(kh).toHaveLength(lab.devices.length);
    expect(kh[0]).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${pub.port} ssh-ed25519 AAAA`));

    const vos = inv.credentials.vos!;
    const sh = await openShell(pub.port, { username: vos.username, password: lab.env[vos.passwordEnv!]! });
    await sh.expect(/admin:$/, 10_000);
    sh.close();
    const xapi = inv.credentials.expressway!;
    const exp = await openShell(port('us-expc1'), { username: xapi.username, password: lab.env[xapi.passwordEnv!]! });
    await exp.expect(/Welcome to us-expc1\n/, 10_000);
    exp.close();
    // A Meeting Server node runs the inventory's release: 3.x knows Web Bridge 3 but no XMPP server (TAC 217062).
    const mmp = inv.credentials.mmp!;
    const cms = await openShell(port('us-acano1'), { username: mmp.username, password: lab.env[mmp.passwordEnv!]! });
    await cms.expect(/us-acano1>$/, 10_000);
    cms.line('xmpp');
    await cms.expect(/Unknown command\n.*us-acano1>$/s, 10_000);
    cms.line('webbridge3');
    await cms.expect(/HTTPS Key file +: none\n(.*\n)*.*us-acano1>$/, 10_000);
    cms.close();

    stop();
    expect(await done).toBe(0);
  });
});
