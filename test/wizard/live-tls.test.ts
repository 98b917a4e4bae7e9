// The TLS probe checkpoint (issue 22) against real TLS servers on 127.0.0.1: every verdict a live
// run can record — the right certificate, a wrong CA, self-signed, a SAN for other names, expired,
// refused, silence (timeout), plain text, STARTTLS refused — each a CheckpointResult with method
// 'automatic' whose details show what the port presented (fingerprint, chain) or why nothing was.
import { mkdtemp, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import type { X509Certificate } from '@peculiar/x509';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedInventory } from '../../src/inventory/load.js';
import type { PlannedStep, TlsProbe } from '../../src/plan/types.js';
import { fingerprint } from '../../src/transport/tls-probe.js';
import { hasAutomaticCheck } from '../../src/wizard/reach.js';
import { tlsPort, tlsTargets } from '../../src/wizard/live-tls.js';
import { D, makeFixture, type Fixture } from '../cert/fixture.js';
import { leaf, pem, privateKeyPem, rootCa } from '../cert/pki.js';

const TMS = `us-tms1.${D}`;
let f: Fixture;
let keyPem: string;
let good: X509Certificate;
let inventory: LoadedInventory;
beforeAll(async () => {
  f = await makeFixture();
  keyPem = await privateKeyPem(f.leafKeys);
  good = await leaf(f.entCa, { cn: TMS, sans: [TMS], keys: f.leafKeys });
  // The inventory's enterprise root, as a file beside it (what loadTrust reads).
  const dir = await mkdtemp(join(tmpdir(), 'collabsec-tls-'));
  await writeFile(join(dir, 'root.pem'), pem(f.entRoot.cert));
  inventory = { inventory: { ...f.inv, ca: { ...f.inv.ca, enterprise: { ...f.inv.ca.enterprise, rootCertFile: 'root.pem' } } }, file: join(dir, 'inventory.yaml'), dir, hash: 'test' };
});

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(s: net.Server): Promise<number> {
  servers.push(s);
  s.on('connection', (c: net.Socket) => sockets.add(c));
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));
}

const tlsServer = (certs: X509Certificate[], key = keyPem) => listen(tls.createServer({ cert: pem(...certs), key }, (s) => s.end()));

/** A TMS restart step whose checkpoint probes `port` (as the plan renders S106). */
function stepProbing(port: number, over: Partial<TlsProbe> = {}): PlannedStep {
  const probe: TlsProbe = { host: '127.0.0.1', port, servername: TMS, role: 'tms/server', ...over };
  return {
    id: 'S106', slug: 'tms-restart-iis-tms', title: 'Restart IIS', product: 'tms', phase: 'D', kind: 'gui', summary: '', disruptive: true, restarts: [], warnings: [], requires: [],
    actions: [{ target: 'us-tms1', commands: [], exchanges: [], pasteFiles: [] }],
    instructions: [],
    checkpoint: { question: 'Does https://us-tms1 show the enterprise certificate?', origin: 'suggested', tls: [probe] },
  };
}

const verify = (step: PlannedStep) => tlsPort({ inventory, timeoutMs: 5_000 }).verify(step);

describe('the TLS probe checkpoint', () => {
  it('is an automatic check of its targets', () => {
    const s = stepProbing(443);
    expect(hasAutomaticCheck(s)).toBe(true);
    expect(tlsTargets(s).map((a) => a.target)).toEqual(['us-tms1']);
    expect(hasAutomaticCheck({ ...s, checkpoint: { question: 'q', origin: 'source' } })).toBe(false);
  });

  it('passes the enterprise-signed certificate for the node, showing its fingerprint and chain', async () => {
    const r = await verify(stepProbing(await tlsServer([good, f.entCa.cert])));
    expect(r).toMatchObject({ method: 'automatic', outcome: 'passed' });
    expect(r.details![0]!.target).toBe('us-tms1');
    expect(r.details![0]!.text).toContain(`SHA-256 ${fingerprint(good.rawData)}`);
    expect(r.details![0]!.text).toContain(`chain ${good.subject} → ${f.entCa.cert.subject}`);
    expect(r.summary).toMatch(/^TLS probe: us-tms1 passed/);
  });

  it('without a role: chain, names, validity and key only', async () => {
    const r = await verify(stepProbing(await tlsServer([good, f.entCa.cert]), { role: undefined }));
    expect(r.outcome).toBe('passed');
  });

  it('fails a certificate from another CA', async () => {
    const rogue = await leaf(f.rogueRoot, { cn: TMS, sans: [TMS], keys: f.leafKeys });
    const r = await verify(stepProbing(await tlsServer([rogue, f.rogueRoot.cert])));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/chain: chains to CN=Rogue Root.*, not to the enterprise root/);
  });

  it('fails a self-signed certificate (installed but not restarted, or never installed)', async () => {
    const self = await rootCa(TMS, f.otherKeys);
    const r = await verify(stepProbing(await tlsServer([self.cert], await privateKeyPem(f.otherKeys))));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/self-signed/);
  });

  it('fails a certificate for other names', async () => {
    const other = await leaf(f.entCa, { cn: `elsewhere.${D}`, sans: [`elsewhere.${D}`], keys: f.leafKeys });
    const r = await verify(stepProbing(await tlsServer([other, f.entCa.cert])));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/subject-cn: CN is elsewhere/);
    expect(r.details![0]!.text).toMatch(/names: neither the CN .* covers us-tms1/);
  });

  it('fails an expired certificate', async () => {
    const old = await leaf(f.entCa, { cn: TMS, sans: [TMS], keys: f.leafKeys, notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const r = await verify(stepProbing(await tlsServer([old, f.entCa.cert])));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/validity: expired on/);
  });

  it('fails a port nothing listens on (refused)', async () => {
    const port = await listen(net.createServer());
    await new Promise((r) => servers.pop()!.close(r));
    const r = await verify(stepProbing(port));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/refused/);
  });

  it('fails a port that stays silent, within the probe budget (timeout)', async () => {
    const r = await verify(stepProbing(await listen(net.createServer(() => undefined))));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/timeout/);
  });

  it('fails a port that speaks plain text', async () => {
    const port = await listen(net.createServer((s) => s.write('SSH-2.0-OpenSSH_9.2\r\n')));
    const r = await verify(stepProbing(port));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/not-tls/);
  });

  it('fails an XMPP port that does not offer STARTTLS', async () => {
    const port = await listen(
      net.createServer((sock) =>
        sock.once('data', () => sock.end(`<?xml version='1.0'?><stream:stream from='${D}' id='1' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><mechanisms/></stream:features></stream:stream>`)),
      ),
    );
    const r = await verify(stepProbing(port, { starttls: 'xmpp-client' }));
    expect(r.outcome).toBe('failed');
    expect(r.details![0]!.text).toMatch(/starttls-refused/);
  });
});
