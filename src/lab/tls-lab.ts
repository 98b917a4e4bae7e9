// `collabsec lab`'s TLS ports (issue 22): one TLS service on 127.0.0.1 per node whose certificate
// the plan probes — Meeting Management, TMS, Prime Collaboration Provisioning (no API at all) and
// PCD's tomcat — and the lab inventory's `tlsPorts` pointing each probed port at it.
import { fqdnOf } from '../inventory/names.js';
import type { Inventory } from '../inventory/schema.js';
import type { KeyPair } from './pki.js';
import { startTlsService, type LabTlsService } from './tls-service.js';
import type { VosNodeState } from './vos-state.js';

/** The port each product's checkpoint probes (steps/: S097, S105/S106, S112, S116). */
const PROBED_PORT = 443;

export async function startLabTls(o: {
  source: Inventory;
  ca: { certPem: string; keys: KeyPair };
  /** VOS node states by host (PCD's tomcat follows its node). */
  vos: ReadonlyMap<string, VosNodeState>;
  /** Sets a value in the lab inventory. */
  at: (path: (string | number)[], value: unknown) => void;
}): Promise<LabTlsService[]> {
  const inv = o.source;
  const servers = (['cmm', 'tms', 'pcp', 'pcd'] as const).flatMap((key) => {
    const s = inv[key];
    return s === undefined ? [] : [{ key, host: s.host, fqdn: fqdnOf(s, inv.domain) }];
  });
  const started = await Promise.all(
    servers.map((s) => {
      const vos = s.key === 'pcd' ? o.vos.get(s.host) : undefined;
      return startTlsService({ node: s.host, fqdn: s.fqdn, ca: o.ca, ...(vos !== undefined ? { vos } : {}) });
    }),
  );
  servers.forEach((s, i) => {
    // PCD's ip is already the lab's (its SSH simulator); the others have no SSH and get it here.
    if (s.key !== 'pcd') o.at([s.key, 'ip'], '127.0.0.1');
    o.at([s.key, 'tlsPorts'], { [String(PROBED_PORT)]: started[i]!.port });
  });
  return started;
}
