// The roots the inventory says are in the trust stores (ca.enterprise / ca.public / B2B partners),
// loaded as chain anchors. A missing or wrong trust file does not stop the check: it becomes a
// warning, and the chain verdict then says it could not compare against that root.
import { isAbsolute, resolve } from 'node:path';
import type { X509Certificate } from '@peculiar/x509';
import type { Inventory } from '../../inventory/schema.js';
import type { Anchor, AnchorKind } from './chain.js';
import { CertFileError, expectChain, loadFile } from './load.js';
import type { Verdict } from './types.js';

export interface Trust {
  anchors: Anchor[];
  /** Non-root certificates found in trust files (an enterprise "root" file is often a chain). */
  intermediates: X509Certificate[];
  verdicts: Verdict[];
  /**
   * Per kind of root, why the file the inventory names gave no root (field, path, problem): the
   * chain verdict names it ("the file named by the inventory is missing"), not "names no root".
   */
  gaps: Partial<Record<AnchorKind, string>>;
}

async function isSelfSigned(c: X509Certificate): Promise<boolean> {
  if (c.subject !== c.issuer) return false;
  try {
    return await c.verify({ publicKey: c.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

export async function loadTrust(inv: Inventory, dir: string): Promise<Trust> {
  const files: { kind: AnchorKind; field: string; path: string }[] = [
    { kind: 'enterprise', field: 'ca.enterprise.rootCertFile', path: inv.ca.enterprise.rootCertFile },
    ...(inv.ca.public ? [{ kind: 'public' as const, field: 'ca.public.rootCertFile', path: inv.ca.public.rootCertFile }] : []),
    ...inv.ca.b2bPartnerRootFiles.map((p, i) => ({ kind: 'partner' as const, field: `ca.b2bPartnerRootFiles[${i}]`, path: p })),
  ];
  const trust: Trust = { anchors: [], intermediates: [], verdicts: [], gaps: {} };
  for (const f of files) {
    const abs = isAbsolute(f.path) ? f.path : resolve(dir, f.path);
    let certs: X509Certificate[];
    try {
      certs = expectChain(await loadFile(abs));
    } catch (e) {
      if (!(e instanceof CertFileError)) throw e;
      const why = e.problem === 'missing' ? `the file named by the inventory is missing: ${f.field} is ${f.path} (${abs})` : `${f.field} (${f.path}): ${e.message}`;
      trust.verdicts.push({ check: 'trust', status: 'warning', message: `${why}; chains cannot be compared with that root` });
      trust.gaps[f.kind] ??= why;
      continue;
    }
    let roots = 0;
    for (const cert of certs) {
      if (await isSelfSigned(cert)) {
        trust.anchors.push({ kind: f.kind, source: `${f.field} (${f.path})`, cert });
        roots++;
      } else {
        trust.intermediates.push(cert);
      }
    }
    if (roots === 0) trust.gaps[f.kind] ??= `${f.field} (${f.path}) holds no self-signed root certificate`;
    if (roots === 0) trust.verdicts.push({ check: 'trust', status: 'warning', message: `${f.field} (${f.path}) holds no self-signed root certificate; the chain can only be checked up to its intermediates` });
  }
  return trust;
}
