// The lab's TLS ports (issue 22): each product without an API (Meeting Management, TMS, Prime
// Collaboration Provisioning) and PCD's tomcat answers TLS on 127.0.0.1 with the certificate its
// "device" serves, so a live run's TLS probe reads a real handshake. A product serves what it was
// given only after its restart — the chapter's steps restart CMM (S097), Apache (S116) and Cisco
// Tomcat (S112) for exactly that — except TMS, whose IIS https binding (S105) is served from the
// next handshake ([I] http.sys; S106 restarts IIS and TMS after it); PCD follows its simulated VOS
// node (the tomcat own certificate at its last Cisco Tomcat restart). Tests can swap in a wrong certificate.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { certInfo, issueCertificate, makeCsr, newKeyPair, privateKeyPem, selfSigned, type KeyPair } from './pki.js';
import type { VosNodeState } from './vos-state.js';

/** What a port presents: a PEM leaf (optionally followed by its chain) and its private key. */
export interface Presented {
  certPem: string;
  keyPem: string;
}

/** Wrong certificates a test can make a port present instead of the right one. */
export type WrongCertificate = 'self-signed' | 'wrong-san' | 'expired' | 'other-ca';

export interface LabTlsService {
  /** Inventory node name. */
  readonly node: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  /** What a connection gets now. */
  presented(): Presented;
  /** The operator installed a certificate (a GUI upload, an IIS binding): served after the next restart. */
  install(p: Presented): void;
  /** The product restarted: an installed certificate is now served. */
  restart(): void;
  /** Test hook: present a wrong certificate from now on (until the next install + restart). */
  swap(kind: WrongCertificate): Promise<void>;
  close(): Promise<void>;
}

export interface TlsServiceOptions {
  node: string;
  fqdn: string;
  /** The lab's enterprise CA, which signs `wrong-san` and `expired`. */
  ca: { certPem: string; keys: KeyPair };
  /**
   * What the product presents before anything is installed. Default: a self-signed certificate for
   * its FQDN, as CMM makes at setup ("replaces the self-signed certificate CMM made at setup", S095)
   * and PCP ships (D-22); [I] for TMS, whose IIS binding before S105 the chapter does not describe.
   */
  initial?: Presented;
  /** Follow a VOS node instead: its tomcat own certificate as of its last Cisco Tomcat restart (PCD). */
  vos?: VosNodeState;
}

async function selfSignedFor(fqdn: string): Promise<Presented> {
  const keys = await newKeyPair();
  return { certPem: await selfSigned(`CN=${fqdn}`, keys), keyPem: await privateKeyPem(keys) };
}

/** A certificate the lab CA (or a stranger's CA) signs for `names`, valid in the window given. */
async function signedFor(ca: { certPem: string; keys: KeyPair }, cn: string, names: string[], window?: { notBefore: Date; days: number }): Promise<Presented> {
  const keys = await newKeyPair();
  const certPem = await issueCertificate({
    csrPem: await makeCsr(`CN=${cn}`, keys, names),
    caCertPem: ca.certPem,
    caKeys: ca.keys,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth'],
    ...(window !== undefined ? { notBefore: window.notBefore, days: window.days } : {}),
  });
  return { certPem: `${certPem.trimEnd()}\n${ca.certPem}`, keyPem: await privateKeyPem(keys) };
}

/** What the PCD tomcat serves: its own tomcat certificate (with its node key), plus the trust store's issuer when it has one. */
async function vosTomcat(node: VosNodeState): Promise<Presented> {
  const own = node.own.find((c) => c.store === 'tomcat');
  if (own === undefined) throw new Error(`${node.hostname}: no tomcat certificate`);
  const ownInfo = certInfo(own.pem);
  const issuer = ownInfo?.selfSigned === false ? node.cluster.trust.find((t) => t.store === 'tomcat-trust' && certInfo(t.pem)?.cn === ownInfo.issuerCn) : undefined;
  return { certPem: `${own.pem.trimEnd()}\n${issuer !== undefined ? issuer.pem : ''}`, keyPem: await privateKeyPem(node.keys) };
}

export async function startTlsService(o: TlsServiceOptions): Promise<LabTlsService> {
  let served: Presented = o.vos !== undefined ? await vosTomcat(o.vos) : (o.initial ?? (await selfSignedFor(o.fqdn)));
  let pending: Presented | undefined;
  let tomcatRestarts = o.vos?.restarts.filter((r) => r.service === 'Cisco Tomcat').length ?? 0;
  const options = (p: Presented): tls.SecureContextOptions => ({ cert: p.certPem, key: p.keyPem });
  let context = tls.createSecureContext(options(served));
  const use = (p: Presented): void => {
    served = p;
    context = tls.createSecureContext(options(p));
    server.setSecureContext(options(p));
  };
  // PCD: a Cisco Tomcat restart since the last connection makes tomcat serve its current own certificate.
  const follow = async (): Promise<void> => {
    if (o.vos === undefined) return;
    const n = o.vos.restarts.filter((r) => r.service === 'Cisco Tomcat').length;
    if (n === tomcatRestarts) return;
    tomcatRestarts = n;
    use(await vosTomcat(o.vos));
  };
  const server = tls.createServer({
    ...options(served),
    // The probe always sends SNI (the node's FQDN); the context is picked per connection, so a
    // restart or a swap takes effect on the next handshake.
    SNICallback: (_name, cb) => {
      follow().then(
        () => cb(null, context),
        (e: unknown) => cb(e as Error),
      );
    },
  });
  // Nothing is ever read or answered after the handshake: the probe only reads the certificate.
  server.on('secureConnection', (s) => s.end());
  server.on('tlsClientError', () => undefined);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    node: o.node,
    host: '127.0.0.1',
    port,
    presented: () => served,
    install: (p) => {
      pending = p;
    },
    restart: () => {
      if (pending !== undefined) use(pending);
      pending = undefined;
    },
    swap: async (kind) => {
      const stranger = async () => {
        const keys = await newKeyPair();
        return { certPem: await selfSigned('CN=Stranger Root CA (lab)', keys, true), keys };
      };
      const day = 86_400_000;
      const wrong =
        kind === 'self-signed'
          ? await selfSignedFor(o.fqdn)
          : kind === 'wrong-san'
            ? await signedFor(o.ca, `elsewhere.${o.fqdn.split('.').slice(1).join('.')}`, [`elsewhere.${o.fqdn.split('.').slice(1).join('.')}`])
            : kind === 'expired'
              ? await signedFor(o.ca, o.fqdn, [o.fqdn], { notBefore: new Date(Date.now() - 400 * day), days: -30 })
              : await signedFor(await stranger(), o.fqdn, [o.fqdn]);
      use(wrong);
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
