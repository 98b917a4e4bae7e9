// One entry point from file names to a Report, shared by `collabsec cert check` and the wizard's
// "upload CA-signed certificate" checkpoints. Throws CertFileError for an unusable file and
// ExpectationError when the inventory cannot say what the names should be (e.g. --node needed).
import type { LoadedInventory } from '../../inventory/load.js';
import { expectationFor, type Expectation } from './expectations.js';
import { expectCertificate, expectChain, expectCsr, loadFile } from './load.js';
import { checkCertificate, DEFAULT_EXPIRY_DAYS, inspectCsr } from './report.js';
import { roleForRelease, type Role } from './roles.js';
import { loadTrust } from './trust.js';
import type { Report } from './types.js';

export interface CheckFilesOptions {
  /** The certificate (PEM/DER, optionally followed by its chain) or a CSR to inspect. */
  file: string;
  role: Role;
  /** Without an inventory, names and trusted roots are not checked (a warning says so). */
  inventory?: LoadedInventory;
  /** Cluster (multi-server roles) or node (per-node roles). */
  node?: string;
  csrFile?: string;
  chainFiles?: string[];
  expiryDays?: number;
  now?: Date;
  /**
   * The wizard's checkpoints: a chain not compared with the root the role relies on fails, and a
   * missing issuer is asked for in the wizard's words (`supply`), not with --chain.
   */
  strictChain?: { supply: string };
}

export class CheckUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckUsageError';
  }
}

const NO_INVENTORY = 'no inventory: names and the trusted root were not checked';

/** The inventory's release of the product a role's per-release rules follow (C.1: Expressway). */
function releaseFor(inv: LoadedInventory | undefined, role: Role): string | undefined {
  if (role.releaseOf === 'expressway') return inv?.inventory.expressway?.version;
  return undefined;
}

export async function checkFiles(opts: CheckFilesOptions): Promise<Report> {
  // Review-2026 C.1: the EKU rule follows the inventory's release (steps/certificates.yaml).
  const { role, notes } = roleForRelease(opts.role, releaseFor(opts.inventory, opts.role));
  const report = await checkRoleFiles({ ...opts, role });
  report.verdicts.push(...notes.map((message) => ({ check: 'release', status: 'warning' as const, message })));
  return report;
}

async function checkRoleFiles(o: CheckFilesOptions): Promise<Report> {
  const loaded = await loadFile(o.file);
  const expectation: Expectation | undefined = o.inventory ? expectationFor(o.inventory.inventory, o.role, o.node) : undefined;
  if (loaded.kind === 'csr') {
    if (o.csrFile !== undefined || (o.chainFiles?.length ?? 0) > 0) throw new CheckUsageError(`${o.file} is a CSR: a CSR or chain to compare with applies to certificates only`);
    const report = await inspectCsr({ file: o.file, csr: loaded.csr, role: o.role, expectation });
    if (!o.inventory) report.verdicts.push({ check: 'inventory', status: 'warning', message: NO_INVENTORY });
    return report;
  }
  const certs = expectCertificate(loaded);
  const csr = o.csrFile === undefined ? undefined : { file: o.csrFile, csr: expectCsr(await loadFile(o.csrFile)) };
  const chains = [];
  for (const file of o.chainFiles ?? []) chains.push({ file, certs: expectChain(await loadFile(file)) });
  const trust = o.inventory ? await loadTrust(o.inventory.inventory, o.inventory.dir) : undefined;
  const report = await checkCertificate({
    file: o.file,
    certs,
    role: o.role,
    expectation,
    csr,
    chains,
    anchors: trust?.anchors,
    intermediates: trust?.intermediates,
    expiryDays: o.expiryDays ?? DEFAULT_EXPIRY_DAYS,
    now: o.now,
    chain: { gaps: trust?.gaps, ...(o.strictChain ? { strict: true, supply: o.strictChain.supply } : {}) },
  });
  report.verdicts.push(...(trust?.verdicts ?? []));
  if (!o.inventory) report.verdicts.push({ check: 'inventory', status: 'warning', message: NO_INVENTORY });
  return report;
}
