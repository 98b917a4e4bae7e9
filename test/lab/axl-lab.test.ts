// `collabsec lab` answers AXL: one simulator per Unified CM cluster on its publisher's httpsPort,
// the AXL user and its password variable in the lab inventory and env, the simulator's
// certificate in the lab's pin file — so a client built from the inventory alone pins, logs in,
// writes and reads back with no question asked; every request validated against the XSD.
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { axlRelease } from '../../src/inventory/versions.js';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { createAxlClient, type AxlRecord } from '../../src/transport/axl/index.js';
import { tlsPinStore } from '../../src/transport/tls-pins.js';
import { validateAxlRequest } from '../support/axl-schema.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ bannerMs: 0, restartMs: 20, axlValidate: validateAxlRequest });
});
afterAll(async () => {
  await lab.close();
});

describe('lab AXL', () => {
  it('points the publisher at the simulator and writes its pin next to the CUPI one', () => {
    const inv = loadInventory(lab.inventoryFile).inventory;
    const pub = inv.cucm[0]!.publisher;
    expect(lab.axl.map((a) => a.node)).toEqual([pub.host]);
    expect(pub).toMatchObject({ ip: '127.0.0.1', httpsPort: lab.axl[0]!.port });
    const cred = inv.credentials.axl!;
    expect(cred.passwordEnv).toBeDefined();
    expect(lab.env[cred.passwordEnv!]).toMatch(/^\S{12,}$/);
    // One pin an HTTPS endpoint: the AXL simulator first, then Unity Connection's CUPI.
    const cupi = lab.cupi!.simulator;
    expect(readFileSync(lab.tlsPinsFile, 'utf8')).toBe(`127.0.0.1:${lab.axl[0]!.port} ${lab.axl[0]!.pin}\n127.0.0.1:${cupi.port} ${cupi.pin}\n`);
    expect(statSync(lab.tlsPinsFile).mode & 0o777).toBe(0o600);
  });

  it('a client built from the lab inventory adds and reads back a phone security profile', async () => {
    const inv = loadInventory(lab.inventoryFile).inventory;
    const c = inv.cucm[0]!;
    const client = createAxlClient({
      node: c.publisher.host,
      host: c.publisher.ip,
      port: c.publisher.httpsPort!,
      version: axlRelease(c.version),
      username: inv.credentials.axl!.username,
      password: lab.env[inv.credentials.axl!.passwordEnv!]!,
      pins: tlsPinStore({ file: lab.tlsPinsFile }),
    });
    try {
      const profile = { phoneType: 'Universal Device Template', protocol: 'SIP', name: 'Lab - Encrypted', deviceSecurityMode: 'Encrypted', transportType: 'TLS' };
      await client.call('addPhoneSecurityProfile', { phoneSecurityProfile: profile });
      const got = await client.call('getPhoneSecurityProfile', { name: 'Lab - Encrypted' });
      expect((got.return as AxlRecord).phoneSecurityProfile).toMatchObject({ name: 'Lab - Encrypted', transportType: 'TLS' });
      expect(lab.axl[0]!.simulator.state.get('PhoneSecurityProfile', 'Lab - Encrypted')).toMatchObject(profile);
      expect(lab.axl[0]!.simulator.rejected).toEqual([]);
    } finally {
      client.close();
    }
  });
});
