// A client and the lab's AXL simulator over real HTTPS on 127.0.0.1; every request the client
// sends is validated against the published XSD of its version by the simulator (`validate`), and
// a test fails if anything was rejected (see expectAllValid).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { startAxlSimulator, type AxlSimulator } from '../../../src/lab/axl/index.js';
import { createAxlClient, type AxlClient, type AxlClientOptions, type AxlRecord, type AxlVersion } from '../../../src/transport/axl/index.js';
import { tlsPinStore, type TlsPinStore } from '../../../src/transport/tls-pins.js';
import { validateAxlRequest } from '../../support/axl-schema.js';

export const USER = 'axl-collabsec';
// Characters that would break a careless Authorization header or leak through an error message.
export const PASSWORD = 'p&ss<w0rd>:"secret"';

export interface AxlFixture {
  sim: AxlSimulator;
  client: AxlClient;
  pins: TlsPinStore;
  pinFile: string;
  confirm: ReturnType<typeof vi.fn<(fp: string, subject: string) => Promise<boolean>>>;
  dir: string;
  /** Another client on the same simulator and pin file (e.g. with other options). */
  newClient(o?: Partial<AxlClientOptions>): AxlClient;
  close(): Promise<void>;
}

export async function axlFixture(o: { version?: AxlVersion; cucmVersion?: AxlVersion; client?: Partial<AxlClientOptions> } = {}): Promise<AxlFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'collabsec-axl-'));
  const sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, cucmVersion: o.cucmVersion ?? o.version ?? '15', validate: validateAxlRequest });
  const pinFile = join(dir, 'tls_pins');
  const pins = tlsPinStore({ file: pinFile });
  const confirm = vi.fn<(fp: string, subject: string) => Promise<boolean>>(() => Promise.resolve(true));
  const clients: AxlClient[] = [];
  const newClient = (extra: Partial<AxlClientOptions> = {}): AxlClient => {
    const c = createAxlClient({ node: 'cucm-pub', host: sim.host, port: sim.port, version: o.version ?? '15', username: USER, password: PASSWORD, pins, confirm, backoffMs: 20, ...o.client, ...extra });
    clients.push(c);
    return c;
  };
  const client = newClient();
  return {
    sim,
    client,
    pins,
    pinFile,
    confirm,
    dir,
    newClient,
    close: async () => {
      clients.forEach((c) => c.close());
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** No request the simulator saw failed the schema. */
export function expectAllValid(f: AxlFixture): void {
  expect(f.sim.rejected).toEqual([]);
}

/** A phone security profile in the sequence order of XPhoneSecurityProfile (AXLSoap.xsd). */
export function phoneSecurityProfile(name: string, description = 'collabsec: encrypted, TLS'): AxlRecord {
  return {
    phoneType: 'Universal Device Template',
    protocol: 'Protocol Not Specified',
    name,
    description,
    deviceSecurityMode: 'Encrypted',
    authenticationMode: 'By Null String',
    keySize: 2048,
    keyOrder: 'RSA Only',
    tftpEncryptedConfig: true,
    EnableOAuthAuthentication: true,
    transportType: 'TLS',
  };
}
