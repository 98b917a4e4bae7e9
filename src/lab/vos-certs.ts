// VOS certificate and CSR commands (cli-facts §1.3). Trust stores are cluster-wide, own
// certificates and CSRs belong to the node.
import { compareVersions } from '../catalogue/version.js';
import { certInfo, issuedBy, makeCsr, pemBlocks, selfSigned, spkiOfKeys } from './pki.js';
import type { Term } from './term.js';
import { askYesNo } from './ask.js';
import { FAILED, page, type VosCommand, type VosSession } from './vos-io.js';
import { VOS_UNITS, type VosCert } from './vos-state.js';

/** Units accepted by set cert import / set csr gen ([I]: CUCM + IM&P units of the chapter). */
const UNITS = [...VOS_UNITS, 'cup-xmpp', 'cup-xmpp-s2s', 'cup', 'cup-xmpp-ECDSA', 'tomcat-ECDSA'];

function unitOf(name: string): string | undefined {
  return UNITS.find((u) => u === name); // unit names are case-sensitive, like service names
}

/** The file name a trust-store import gives a certificate: its CN, made a file name ([I] real VOS uses the CN). */
export function trustFileName(cn: string): string {
  return `${cn.replace(/[^A-Za-z0-9._-]/g, '_')}.pem`;
}

/** The first VOS release whose `set csr gen` asks about the OU (cli-facts §1.3). */
const OU_QUESTION_FROM = '14SU2';

function listLine(c: VosCert): string {
  return `${c.store}/${c.file}: ${c.description}`; // cli-facts §1.3 one-line list format
}

/** Reads pasted lines until a blank line (cli-facts §1.3: paste, then one extra Enter; [I] terminator). */
async function readPaste(term: Term): Promise<string | null> {
  const lines: string[] = [];
  for (;;) {
    const l = await term.readLine();
    if (l === null) return null;
    if (l.trim() === '') return lines.join('\n');
    lines.push(l);
  }
}

function decoded(c: VosCert): string[] {
  const i = certInfo(c.pem);
  if (!i) return c.pem.trimEnd().split('\n');
  // [I] layout; cli-facts §1.3 only guarantees the validity lines "From:" / "To:".
  return [
    '[',
    '  Version: V3',
    `  Serial Number: ${i.serial}`,
    `  Issuer Name: ${i.issuer.split('\n').join(', ')}`,
    `  Validity From: ${i.validFrom}`,
    `           To:   ${i.validTo}`,
    `  Subject Name: ${i.subject.split('\n').join(', ')}`,
    ']',
    ...c.pem.trimEnd().split('\n'),
  ];
}

async function importCert(s: VosSession, kind: 'trust' | 'own', unitName: string, caFile: string | undefined): Promise<void> {
  const { term, node } = s;
  const unit = unitOf(unitName);
  if (!unit) return term.writeLines([FAILED]);
  term.writeLines(['Paste the Certificate and Hit Enter']); // cli-facts §1.3 (getcert expects this)
  const text = await readPaste(term);
  if (text === null) return;
  const pems = pemBlocks(text);
  const infos = pems.map(certInfo);
  const first = infos[0];
  if (!first || infos.some((i) => i === undefined)) return term.writeLines([FAILED]); // [I] wording of a bad paste
  const trustStore = `${unit}-trust`;
  if (kind === 'trust') {
    // [I] several certs in one paste: each is stored (cli-facts §1.3 says the behaviour is unknown).
    for (const info of infos) {
      if (!info) continue;
      const file = trustFileName(info.cn);
      const entry: VosCert = {
        store: trustStore,
        file,
        pem: info.pem,
        description: `Certificate Signed by ${info.issuerCn}`,
        issuerCn: info.issuerCn,
      };
      const at = node.cluster.trust.findIndex((c) => c.store === trustStore && c.file === file);
      if (at >= 0) node.cluster.trust[at] = entry; // same CN replaces (cli-facts §1.3 accepted formats)
      else node.cluster.trust.push(entry);
    }
  } else {
    // The signed cert must belong to this node's key and chain to a cert in <unit>-trust ([I] error text).
    const ownKey = await spkiOfKeys(node.keys);
    const candidates = node.cluster.trust.filter(
      (c) => c.store === trustStore && (caFile === undefined || `${c.store}/${c.file}` === caFile || c.file === caFile),
    );
    if (!first.publicKeyDer.equals(ownKey) || (caFile !== undefined && candidates.length === 0)) return term.writeLines([FAILED]);
    if (!first.selfSigned && !candidates.some((c) => issuedBy(first.pem, c.pem))) return term.writeLines([FAILED]);
    const entry: VosCert = {
      store: unit,
      file: `${unit}.pem`,
      pem: first.pem,
      description: `Certificate Signed by ${first.issuerCn}`,
      issuerCn: first.issuerCn,
    };
    node.own = [...node.own.filter((c) => c.store !== unit), entry];
  }
  // cli-facts §1.3 success text (documented for trust; reused for own [I]).
  term.writeLines([
    `Successfully imported certificate for ${unit}.`,
    `Please restart services related to ${unit} for the new certificate to become active.`,
  ]);
}

function findCert(list: VosCert[], path: string): VosCert | undefined {
  return list.find((c) => `${c.store}/${c.file}` === path);
}

export const certCommands: VosCommand[] = [
  [/^show cert list (own|trust)$/i, (s, m) => {
    const list = m[1]?.toLowerCase() === 'own' ? s.node.own : s.node.cluster.trust;
    return page(s, list.map(listLine));
  }],
  [/^show cert own (\S+)$/i, (s, m) => {
    const c = findCert(s.node.own, m[1] ?? '');
    return c ? page(s, decoded(c)) : s.term.writeLines([FAILED]);
  }],
  [/^show cert trust (\S+)$/i, (s, m) => {
    const c = findCert(s.node.cluster.trust, m[1] ?? '');
    return c ? page(s, decoded(c)) : s.term.writeLines([FAILED]);
  }],
  [/^set cert import (trust|own) (\S+)(?: (\S+))?$/, (s, m) => importCert(s, m[1] === 'own' ? 'own' : 'trust', m[2] ?? '', m[3])],
  [/^set cert regen (\S+)$/, async (s, m) => {
    const unit = unitOf(m[1] ?? '');
    if (!unit || unit === 'ITLRecovery') return s.term.writeLines([FAILED]); // ITLRecovery has its own dialogue (not simulated)
    const pem = await selfSigned(`CN=${s.node.fqdn ?? s.node.hostname}`, s.node.keys);
    s.node.own = [
      ...s.node.own.filter((c) => c.store !== unit),
      { store: unit, file: `${unit}.pem`, pem, description: 'Self-signed certificate generated by system', issuerCn: s.node.hostname },
    ];
    s.term.writeLines([`Successfully regenerated certificate for ${unit}.`]); // cli-facts §1.3
  }],
  [/^set csr gen (\S+)$/, async (s, m) => {
    const unit = unitOf(m[1] ?? '');
    if (!unit) return s.term.writeLines([FAILED]);
    // cli-facts §1.3 / review-2026 A.9: from 14SU2 the OU is dropped from CSRs unless the
    // operator answers yes here (getcert expects `.*Include OU in CSR (yes|no)?.*` after
    // `set csr gen`; 14SU2 release notes "Inclusion of Organisation Unit field"). 12.5 asks nothing.
    let ou = false;
    if (compareVersions(s.node.release, OU_QUESTION_FROM) >= 0) {
      const a = await askYesNo(s.term, 'Include OU in CSR (yes|no)? ');
      if (a === null) return; // Ctrl-C / channel closed: no CSR
      ou = a;
    }
    // [I] the CLI CSR names the node's FQDN as CN and SAN (single-server distribution).
    const name = s.node.fqdn ?? s.node.hostname;
    s.node.csrs[unit] = await makeCsr(`${ou ? `OU=${s.node.orgUnit}, ` : ''}CN=${name}`, s.node.keys, s.node.fqdn !== undefined ? [name] : []);
    s.term.writeLines([`Successfully Generated CSR for ${unit}.`]); // cli-facts §1.3
  }],
  [/^show csr list own$/i, (s) => page(s, Object.keys(s.node.csrs).map((u) => `${u}/${u}.csr`))], // cli-facts §1.3
  [/^show csr own (\S+)$/i, (s, m) => {
    // cli-facts §1.3: both "tomcat/tomcat.csr" and the bare unit work.
    const arg = m[1] ?? '';
    const unit = /^([^/]+)\/\1\.csr$/.exec(arg)?.[1] ?? arg;
    const csr = s.node.csrs[unit];
    return csr ? page(s, csr.trimEnd().split('\n')) : s.term.writeLines([FAILED]);
  }],
];
