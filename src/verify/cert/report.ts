// Runs every check for one file and returns the report the command and the wizard render.
import type { Pkcs10CertificateRequest, X509Certificate } from '@peculiar/x509';
import { checkChain, checkOrder, type Anchor, type ChainOptions, type SuppliedChain } from './chain.js';
import { checkCsrMatch, checkKey, checkNames, checkNotCa, checkSignature, checkUsages, checkValidity, checkWildcard } from './checks.js';
import type { Expectation } from './expectations-types.js';
import { summarizeCertificate, summarizeCsr, usagesOf } from './inspect.js';
import type { Role } from './roles.js';
import type { Report, Verdict } from './types.js';

export const DEFAULT_EXPIRY_DAYS = 30;

export interface CertCheckInput {
  file: string;
  /** Leaf first; anything after it is chain the operator appended to the same file. */
  certs: X509Certificate[];
  role: Role;
  expectation?: Expectation;
  csr?: { file: string; csr: Pkcs10CertificateRequest };
  chains?: SuppliedChain[];
  anchors?: Anchor[];
  /** Intermediates known from the inventory's trust files: issuer candidates, never order-checked. */
  intermediates?: X509Certificate[];
  now?: Date;
  expiryDays?: number;
  /** How the chain verdicts name a missing issuer or root file, and whether an uncompared chain fails. */
  chain?: ChainOptions;
}

export async function checkCertificate(input: CertCheckInput): Promise<Report> {
  const [leaf, ...rest] = input.certs;
  if (!leaf) throw new Error('checkCertificate needs at least one certificate');
  const now = input.now ?? new Date();
  const v: Verdict[] = [];
  if (input.role.referenceOnly) v.push({ check: 'role', status: 'warning', message: `${input.role.id}: ${input.role.referenceOnly}` });
  const notCa = checkNotCa(leaf);
  if (notCa) v.push(notCa);
  v.push(...checkUsages(usagesOf(leaf.extensions), input.role, 'certificate'));
  if (input.expectation) v.push(...checkNames(leaf, input.expectation));
  v.push(checkWildcard(leaf, input.role));
  v.push(checkKey(leaf, input.expectation?.key), checkSignature(leaf), checkValidity(leaf, now, input.expiryDays ?? DEFAULT_EXPIRY_DAYS));
  if (input.csr) v.push(...checkCsrMatch(leaf, input.csr.csr, input.csr.file));
  const chains: SuppliedChain[] = [...(rest.length > 0 ? [{ file: input.file, certs: input.certs, leafFile: true }] : []), ...(input.chains ?? [])];
  v.push(...(await checkOrder(chains)));
  // The leaf file's own copy of the leaf is not an issuer candidate; pass only what follows it.
  const issuers: SuppliedChain[] = [
    ...(rest.length > 0 ? [{ file: input.file, certs: rest }] : []),
    ...(input.chains ?? []),
    ...(input.intermediates?.length ? [{ file: 'inventory trust files', certs: input.intermediates }] : []),
  ];
  const chain = await checkChain(leaf, issuers, input.anchors ?? [], input.role, now, input.chain);
  v.push(...chain.verdicts);
  return { file: input.file, role: input.role.id, summary: summarizeCertificate(leaf), verdicts: v };
}

/**
 * CSR inspection: what the CA will be asked for. Names, key and hash are checked as hard rules
 * (they are fixed once the CSR exists); missing KU/EKU only warn, the CA template can add them.
 */
export async function inspectCsr(input: { file: string; csr: Pkcs10CertificateRequest; role: Role; expectation?: Expectation }): Promise<Report> {
  const { csr, role } = input;
  const v: Verdict[] = [];
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  v.push(valid ? { check: 'csr-signature', status: 'pass', message: 'the CSR is signed by its own key' } : { check: 'csr-signature', status: 'fail', message: `${input.file}: the CSR signature does not verify (corrupted or edited)` });
  if (role.referenceOnly) v.push({ check: 'role', status: 'warning', message: `${role.id}: ${role.referenceOnly}` });
  v.push(...checkUsages(usagesOf(csr.extensions), role, 'csr'));
  if (input.expectation) v.push(...checkNames(csr, input.expectation));
  v.push(checkWildcard(csr, role), checkKey(csr, input.expectation?.key), checkSignature(csr));
  const ca = role.caType === 'public' ? 'a public CA on the endpoint Certificate Authority Trust List' : 'the enterprise CA';
  v.push({ check: 'ca', status: 'pass', message: `submit to ${ca} (Table 7-5)` });
  return { file: input.file, role: role.id, summary: summarizeCsr(csr), verdicts: v };
}
