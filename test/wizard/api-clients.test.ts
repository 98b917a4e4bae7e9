// nodeClients (src/wizard/api-clients.ts): the AXL, Control Center and CUPI ports' one client per
// node. The live tests run them against the simulators; these pin the sharing rules themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Action } from '../../src/plan/types.js';
import { type NodeClientOptions, nodeClients } from '../../src/wizard/api-clients.js';

const dir = mkdtempSync(join(tmpdir(), 'collabsec-api-clients-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const action = (target: string, host?: string): Action =>
  ({ target, commands: [], exchanges: [], pasteFiles: [], ...(host ? { apiEndpoint: { api: 'cupi', host, port: 443 } } : {}) });

describe('nodeClients', () => {
  it('makes one client per node at its first request, with the credential and the node address, and closes them all', async () => {
    const made: NodeClientOptions[] = [];
    const closed: string[] = [];
    const asked: string[] = [];
    const clients = nodeClients(
      { credential: { username: 'admin', password: 'pw' }, pinsFile: join(dir, 'pins'), confirmCertificate: (node) => (asked.push(node), Promise.resolve(true)), timeoutMs: 5000 },
      { missing: 'no credential', endpoint: (a) => a.apiEndpoint, make: (base) => (made.push(base), { node: base.node, close: () => closed.push(base.node) }) },
    );
    const a = clients.of(action('cuc1', '10.0.0.1'));
    expect(clients.of(action('cuc1', '10.0.0.1'))).toBe(a);
    clients.of(action('cuc2', '10.0.0.2'));
    expect(made.map((m) => [m.node, m.host, m.port, m.username, m.password, m.timeoutMs])).toEqual([
      ['cuc1', '10.0.0.1', 443, 'admin', 'pw', 5000],
      ['cuc2', '10.0.0.2', 443, 'admin', 'pw', 5000],
    ]);
    // Both clients share the one pin store.
    expect(made[0]!.pins).toBe(made[1]!.pins);
    await made[1]!.confirm('AA:BB', 'CN=cuc2');
    expect(asked).toEqual(['cuc2 at 10.0.0.2:443']);
    clients.close();
    expect(closed).toEqual(['cuc1', 'cuc2']);
  });

  it('refuses without a credential or without the node address, before making a client', () => {
    const make = () => ({ close: () => undefined });
    const none = nodeClients({ credential: undefined, pinsFile: join(dir, 'pins'), confirmCertificate: () => Promise.resolve(false) }, { missing: 'CUPI requests need credentials.cupi', endpoint: (a) => a.apiEndpoint, make });
    expect(() => none.of(action('cuc1', '10.0.0.1'))).toThrow('CUPI requests need credentials.cupi');
    const some = nodeClients({ credential: { username: 'u', password: 'p' }, pinsFile: join(dir, 'pins'), confirmCertificate: () => Promise.resolve(false) }, { missing: 'x', endpoint: (a) => a.apiEndpoint, make });
    expect(() => some.of(action('cuc1'))).toThrow(/cuc1: API requests without the node's address/);
  });
});
