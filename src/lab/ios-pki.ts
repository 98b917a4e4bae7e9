// IOS PKI dialogues: RSA keys (cli-facts §2.2), authenticate (§2.3), enroll (§2.4), import (§2.5)
// and the verification shows (§2.6).
import { certInfo, issuedBy, makeCsr, newKeyPair, pemBlocks, spkiOfKeys, type CertInfo } from './pki.js';
import { findLine, type ConfigNode } from './ios-config.js';
import type { IosSession } from './ios.js';
import type { Term } from './term.js';
import { askYesNo } from './ask.js';

/** IOS [yes/no] questions take y and n too; blank takes the default when there is one. */
export const askIos = (term: Term, question: string, dflt?: boolean): Promise<boolean | null> => askYesNo(term, question, { short: true, ...(dflt !== undefined ? { dflt } : {}) });

/** PEM paste ended by a blank line or "quit" (cli-facts §2.3/§2.5). */
async function readPaste(term: Term): Promise<string | null> {
  const lines: string[] = [];
  for (;;) {
    const l = await term.readLine();
    if (l === null) return null;
    if (l.trim() === '' || l.trim() === 'quit') return lines.join('\n');
    lines.push(l);
  }
}

const groups = (hex: string) => (hex.match(/.{1,8}/g) ?? []).join(' ');

function tpNode(s: IosSession, tp: string): ConfigNode | undefined {
  return s.state.running.children.find((n) => n.line === `crypto pki trustpoint ${tp}`);
}

export async function generateKey(s: IosSession, args: string): Promise<void> {
  const { term, state } = s;
  const tokens = args.split(' ').filter((t) => t !== '' && t !== 'general-keys');
  const li = tokens.indexOf('label');
  const label = li >= 0 ? (tokens[li + 1] ?? state.hostname) : state.hostname;
  const exportable = tokens.includes('exportable');
  let modulus = tokens.includes('modulus') ? Number(tokens[tokens.indexOf('modulus') + 1]) : NaN;
  if (state.keys[label]) {
    // cli-facts §2.2 replace prompt; unanswered/no keeps the old key.
    term.writeLines([`% You already have RSA keys defined named ${label}.`]);
    if ((await askIos(term, '% Do you really want to replace them? [yes/no]: ')) !== true) return;
  }
  term.writeLines([`The name for the keys will be: ${label}`]);
  if (Number.isNaN(modulus)) {
    term.write('How many bits in the modulus [512]: '); // cli-facts §2.2 (older IOS)
    const a = await term.readLine();
    if (a === null) return;
    modulus = a.trim() === '' ? 512 : Number(a.trim());
  }
  term.writeLines([`% The key modulus size is ${modulus} bits`]);
  term.write(`% Generating ${modulus} bit RSA keys, keys will be ${exportable ? 'exportable' : 'non-exportable'}...`);
  // The simulated key has the modulus asked for when it is one of the sizes an inventory may choose
  // (review-2026 A.14: 2048/3072/4096, cli-facts §2.2 `modulus N`), so the CSR check sees it; any
  // other answer (the old 512 default) is shown but simulated as 2048 [I: no test needs a weak key].
  const bits = [2048, 3072, 4096].includes(modulus) ? modulus : 2048;
  state.keys[label] = { label, modulus, exportable, keys: await newKeyPair(bits), created: new Date() };
  term.writeLines(['[OK] (elapsed time was 1 seconds)']);
}

export async function authenticate(s: IosSession, tp: string): Promise<void> {
  const { term, state } = s;
  if (!tpNode(s, tp)) return term.writeLines([`% Could not find trustpoint ${tp}`]); // [I]
  term.writeLines(['Enter the base 64 encoded CA certificate.', 'End with a blank line or the word "quit" on a line by itself', '']);
  const text = await readPaste(term);
  if (text === null) return;
  const info = certInfo(pemBlocks(text)[0] ?? '');
  if (!info) return term.writeLines(['% Error in receiving Certificate Authority certificate.']); // [I]
  // cli-facts §2.3; fingerprint grouping is [I]
  term.writeLines(['Certificate has the following attributes:', `       Fingerprint MD5: ${groups(info.md5)}`, `      Fingerprint SHA1: ${groups(info.sha1)}`, '']);
  if ((await askIos(term, '% Do you accept this certificate? [yes/no]: ')) !== true) return;
  state.pki[tp] = { ...(state.pki[tp] ?? { csr: undefined, cert: undefined }), ca: info };
  term.writeLines(['Trustpoint CA certificate accepted.', '% Certificate successfully imported']);
}

export async function enroll(s: IosSession, tp: string): Promise<void> {
  const { term, state } = s;
  const node = tpNode(s, tp);
  if (!node) return term.writeLines([`% Could not find trustpoint ${tp}`]); // [I]
  const pki = state.pki[tp];
  if (!pki?.ca) return term.writeLines(['% You must authenticate the Certificate Authority before you can enroll with it.']); // [I]
  if (pki.cert) {
    // cli-facts §2.4: re-enroll confirmation ([I] wording before "re-enroll?")
    if ((await askIos(term, '% You already have a certificate for this trustpoint. Do you want to re-enroll? [yes/no]: ')) !== true) return;
  }
  const subject = findLine(node, /^subject-name (.+)$/)?.[1] ?? `CN=${state.hostname}`;
  const label = findLine(node, /^rsakeypair (\S+)/)?.[1] ?? state.hostname;
  const key = state.keys[label] ?? { label, modulus: 2048, exportable: false, keys: await newKeyPair(), created: new Date() };
  state.keys[label] = key; // [I] IOS generates a missing key pair silently here
  // cli-facts §2.4 dialogue
  term.writeLines(['% Start certificate enrollment ..', `% The subject name in the certificate will include: ${subject}`]);
  if (!findLine(node, /^fqdn none$/)) term.writeLines([`% The subject name in the certificate will include: ${state.hostname}`]);
  let serial = false;
  if (!findLine(node, /^serial-number none$/)) {
    const a = await askIos(term, '% Include the router serial number in the subject name? [yes/no]: ');
    if (a === null) return;
    serial = a;
  }
  if (!findLine(node, /^ip-address none$/)) {
    if ((await askIos(term, '% Include an IP address in the subject name? [no]: ', false)) === null) return;
  }
  const sans = [findLine(node, /^subject-alt-name (\S+)$/)?.[1]].filter((x): x is string => x !== undefined);
  const dn = subject.split(',').map((p) => p.trim()).join(', ') + (serial ? ', serialNumber=9SIMLAB0001' : ''); // [I] serial
  const csr = await makeCsr(dn, key.keys, sans);
  state.pki[tp] = { ...pki, csr };
  await state.onCsr?.(tp, csr);
  const pem = findLine(node, /^enrollment terminal pem$/) !== undefined;
  // Without "pem" old IOS prints bare base64 (cli-facts §2.4).
  const body = csr.trimEnd().split('\n').filter((l) => pem || !l.startsWith('-----'));
  let show = await askIos(term, 'Display Certificate Request to terminal? [yes/no]: ');
  while (show === true) {
    term.writeLines(['Certificate Request follows:', '', ...body, '', '---End - This line not part of the certificate request---', '']);
    show = await askIos(term, 'Redisplay enrollment request? [yes/no]: ');
  }
}

export async function importCert(s: IosSession, tp: string): Promise<void> {
  const { term, state } = s;
  const node = tpNode(s, tp);
  const pki = state.pki[tp];
  if (!node || !pki?.ca) return term.writeLines([`% Could not find trustpoint ${tp}`]); // [I]
  term.writeLines(['Enter the base 64 encoded certificate.', 'End with a blank line or the word "quit" on a line by itself', '']); // cli-facts §2.5
  const text = await readPaste(term);
  if (text === null) return;
  const info = certInfo(pemBlocks(text)[0] ?? '');
  const label = findLine(node, /^rsakeypair (\S+)/)?.[1] ?? state.hostname;
  const key = state.keys[label];
  const matches = info !== undefined && key !== undefined && info.publicKeyDer.equals(await spkiOfKeys(key.keys));
  if (!info || !matches || !issuedBy(info.pem, pki.ca.pem)) return term.writeLines(['% Error in saving certificate: status = FAIL']); // [I]
  state.pki[tp] = { ...pki, cert: info, csr: undefined };
  term.writeLines(['% Router Certificate successfully imported']); // cli-facts §2.5
}

function dnLines(dn: string, indent: string): string[] {
  return dn.split('\n').reverse().map((p) => `${indent}${p.replace(/^(\w+)=/, (_m, k: string) => `${k.toLowerCase()}=`)}`);
}

function iosDate(d: string): string {
  const t = new Date(d);
  const mon = t.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${t.toISOString().slice(11, 19)} UTC ${mon} ${t.getUTCDate()} ${t.getUTCFullYear()}`; // [I] format
}

export function showStatus(s: IosSession, tp: string): string[] {
  const node = tpNode(s, tp);
  if (!node) return [];
  const pki = s.state.pki[tp];
  const label = findLine(node, /^rsakeypair (\S+)/)?.[1] ?? s.state.hostname;
  const key = s.state.keys[label];
  const block = (title: string, c: CertInfo) => [`  ${title}`, '    Subject Name:', ...dnLines(c.subject, '     '), `    Fingerprint MD5: ${groups(c.md5)}`, `    Fingerprint SHA1: ${groups(c.sha1)}`];
  // cli-facts §2.6 (genieparser field texts); Subject/Fingerprint sub-lines and "No"/"None" values are [I].
  return [
    `Trustpoint ${tp}:`,
    ...(pki?.ca ? block('Issuing CA certificate configured:', pki.ca) : []),
    ...(pki?.cert ? block('Router General Purpose certificate configured:', pki.cert) : []),
    ...(pki?.cert ? ['  Last enrollment status: Granted'] : []),
    '  State:',
    `    Keys generated ............. ${key ? `Yes (General Purpose, ${key.exportable ? 'exportable' : 'non-exportable'})` : 'No'}`,
    `    Issuing CA authenticated ....... ${pki?.ca ? 'Yes' : 'No'}`,
    `    Certificate request(s) ..... ${pki?.cert || pki?.csr ? 'Yes' : 'None'}`,
  ];
}

export function showCertificates(s: IosSession, only?: string): string[] {
  const out: string[] = [];
  const block = (title: string, c: CertInfo, tp: string) => [
    title,
    '  Status: Available',
    '  Issuer:', ...dnLines(c.issuer, '    '), // [I] issuer block
    '  Subject:', ...dnLines(c.subject, '    '),
    '  Validity Date:', `    start date: ${iosDate(c.validFrom)}`, `    end date: ${iosDate(c.validTo)}`,
    `  Associated Trustpoints: ${tp}`,
    '',
  ];
  // cli-facts §2.6: "Certificate" and "CA Certificate" blocks.
  for (const [tp, pki] of Object.entries(s.state.pki)) {
    if (only !== undefined && tp !== only) continue;
    if (pki.cert) out.push(...block('Certificate', pki.cert, tp));
    if (pki.ca) out.push(...block('CA Certificate', pki.ca, tp));
  }
  return out;
}

/**
 * `show crypto key mypubkey rsa [<label>]`: one block per key pair. Field lines from cli-facts §2.2
 * (`Key name:`, `Key is [not] exportable.`) and public transcripts (O'Reilly Cisco IOS Cookbook
 * ch. 12.8: `% Key pair was generated at:`, `Usage: General Purpose Key`, `Key Data:`; a pastebin
 * transcript adds `Key type: RSA KEYS`, `Storage Device:`). [I] the Redundancy / storage values,
 * and that an unknown label prints nothing.
 */
export async function showMyPubkey(s: IosSession, label?: string): Promise<string[]> {
  const out: string[] = [];
  for (const k of Object.values(s.state.keys)) {
    if (label !== undefined && k.label !== label) continue;
    // Key Data: the public key's DER in 8-hex-digit groups, 8 groups a line, as IOS prints it.
    const hex = (await spkiOfKeys(k.keys)).toString('hex').toUpperCase();
    const words = groups(hex).split(' ');
    const data: string[] = [];
    for (let i = 0; i < words.length; i += 8) data.push(`  ${words.slice(i, i + 8).join(' ')}`);
    out.push(
      `% Key pair was generated at: ${iosDate(k.created.toISOString())}`,
      `Key name: ${k.label}`,
      'Key type: RSA KEYS',
      ' Storage Device: private-config',
      ' Usage: General Purpose Key',
      ` Key is ${k.exportable ? '' : 'not '}exportable. Redundancy enabled.`,
      ' Key Data:',
      ...data,
    );
  }
  return out;
}
