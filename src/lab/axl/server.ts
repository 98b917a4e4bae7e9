// The lab's AXL endpoint: HTTPS on 127.0.0.1, POST /axl/, basic auth, SOAP 1.1, answering from
// an in-memory configuration (state.ts, operations.ts) in Unified CM's shapes (replies.ts).
// Tests switch faults on: 401, 403 (no AXL role), a version mismatch, HTTP 503 for the next N
// requests, a hang (the request is read, perhaps applied, and never answered), and a changed
// certificate. With `validate`, every request is first checked (against the published XSD in
// tests) and one that fails is recorded in `rejected` and refused with a SOAP fault.
import { createHash, X509Certificate } from 'node:crypto';
import * as https from 'node:https';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { apiVersion, readXml, SOAP_ENV, versionOfNamespace, AXL_VERSIONS, type AxlVersion } from '../../transport/axl/index.js';
import { newKeyPair, privateKeyPem, selfSigned } from '../pki.js';
import { handleOperation } from './operations.js';
import { html, incorrectVersion, soapFault, type Reply } from './replies.js';
import { AxlState } from './state.js';

export type AxlFaultMode = 'unauthorized' | 'no-axl-role' | 'version-mismatch';

/**
 * Another web service of the same tomcat (Control Center Services answers beside AXL on a
 * Unified CM node, with the same certificate): its path and how it answers a POSTed body.
 */
export interface LabRoute {
  path: RegExp;
  answer(body: string, headers: IncomingHttpHeaders): Promise<Reply | 'hang'> | Reply | 'hang';
}

export interface AxlSimulatorOptions {
  /** User name → password of AXL application users. */
  users: Record<string, string>;
  /** The Unified CM release simulated: it accepts its own AXL version and older ones (default 15). */
  cucmVersion?: AxlVersion;
  /** Checks each request (e.g. against the published XSD); errors → recorded and refused. */
  validate?: (xml: string, version: AxlVersion) => string[] | Promise<string[]>;
  /** CN of the self-signed tomcat certificate (default the host). */
  commonName?: string;
  state?: AxlState;
  /** Added to every answer (ms): a WAN to the publisher, for benchmarks (default 0). */
  latencyMs?: number;
}

export interface AxlRequestLog {
  operation: string;
  version: AxlVersion | undefined;
  soapAction: string;
  status: number;
  body: string;
}

export interface AxlSimulator {
  host: string;
  port: number;
  /** `sha256:<hex>` of the certificate now served (the pin a client stores). */
  pin: string;
  certPem: string;
  state: AxlState;
  /** Every request with the status it got. */
  requests: AxlRequestLog[];
  /** Requests `validate` refused, with its errors. */
  rejected: { operation: string; errors: string[] }[];
  /** Switch a fault on (or off with null) for every following request. */
  fault(mode: AxlFaultMode | null): void;
  /** Answer the next `n` authenticated requests with HTTP 503. */
  throttle(n: number): void;
  /** Read the next request and never answer it; with `apply`, perform it first (an in-doubt write). */
  hang(opts?: { apply?: boolean }): void;
  /** Every following answer is delayed this long (ms). */
  latency(ms: number): void;
  /** Serve a new self-signed certificate from now on (open connections are dropped); returns its pin. */
  rotateCertificate(): Promise<string>;
  /** Answer another service of the same tomcat on its path (POST only, bodies bounded like AXL's). */
  mount(route: LabRoute): void;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

async function tomcatCert(cn: string): Promise<{ key: string; cert: string; pin: string }> {
  const keys = await newKeyPair();
  const cert = await selfSigned(`CN=${cn.replace(/[,=+<>#;"\\]/g, ' ')}, OU=lab, O=collabsec`, keys);
  const der = new X509Certificate(cert).raw;
  return { key: await privateKeyPem(keys), cert, pin: 'sha256:' + createHash('sha256').update(der).digest('hex') };
}

function checkAuth(header: string | undefined, users: Record<string, string>): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return undefined;
  const plain = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  if (colon < 0) return undefined;
  const user = plain.slice(0, colon);
  return Object.hasOwn(users, user) && users[user] === plain.slice(colon + 1) ? user : undefined;
}

export async function startAxlSimulator(opts: AxlSimulatorOptions): Promise<AxlSimulator> {
  const host = '127.0.0.1';
  const cucm = opts.cucmVersion ?? '15';
  const accepted = AXL_VERSIONS.filter((v) => Number(apiVersion(v)) <= Number(apiVersion(cucm)));
  const supportedText = accepted.map(apiVersion).join(', ');
  const state = opts.state ?? new AxlState();
  let tls = await tomcatCert(opts.commonName ?? host);
  let mode: AxlFaultMode | null = null;
  let throttled = 0;
  let hang: { apply: boolean } | undefined;
  let latencyMs = opts.latencyMs ?? 0;
  const hanging = new Set<ServerResponse>();
  const routes: LabRoute[] = [];
  const requests: AxlRequestLog[] = [];
  const rejected: { operation: string; errors: string[] }[] = [];

  const answer = async (body: string, headers: Record<string, string | string[] | undefined>, log: AxlRequestLog): Promise<Reply | 'hang'> => {
    const user = checkAuth(headers.authorization as string | undefined, opts.users);
    if (user === undefined || mode === 'unauthorized') return html(401, 'Unauthorized', 'This request requires HTTP authentication.', { 'WWW-Authenticate': 'Basic realm="Cisco AXL"' });
    if (mode === 'no-axl-role') return html(403, 'Forbidden', 'Access to the requested resource has been denied');
    if (throttled > 0) {
      throttled--;
      return html(503, 'Service Unavailable', 'AXL is busy: too many requests');
    }
    let env;
    try {
      env = readXml(body, { maxChars: MAX_REQUEST_BYTES });
    } catch (e) {
      return soapFault(`lab: unreadable request (${(e as Error).message})`);
    }
    const bodyEl = env.local === 'Envelope' && env.ns === SOAP_ENV ? env.children.find((c) => c.local === 'Body' && c.ns === SOAP_ENV) : undefined;
    const op = bodyEl?.children[0];
    if (!op) return soapFault('lab: no SOAP Body operation');
    log.operation = op.local;
    const version = versionOfNamespace(op.ns);
    log.version = version;
    // [I] The SOAPAction names the version too; a request whose header and namespace disagree,
    // or whose version this release does not accept, gets the 599 page.
    const actionVer = /^"?CUCM:DB ver=([\d.]+) /.exec(log.soapAction)?.[1];
    if (mode === 'version-mismatch' || version === undefined || !accepted.includes(version) || (actionVer !== undefined && actionVer !== apiVersion(version))) return incorrectVersion(supportedText);
    if (opts.validate) {
      const errors = await opts.validate(body, version);
      if (errors.length > 0) {
        rejected.push({ operation: op.local, errors });
        return soapFault(`lab: the request fails the AXL ${apiVersion(version)} schema: ${errors[0]}`);
      }
    }
    if (hang) {
      const { apply } = hang;
      hang = undefined;
      if (apply) handleOperation(state, op, op.ns);
      return 'hang';
    }
    return handleOperation(state, op, op.ns);
  };

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const log: AxlRequestLog = { operation: '', version: undefined, soapAction: String(req.headers.soapaction ?? ''), status: 0, body: '' };
    const send = (r: Reply): void => {
      log.status = r.status;
      res.writeHead(r.status, { 'Content-Type': r.contentType, ...(r.headers ?? {}) });
      res.end(r.body);
    };
    const route = routes.find((r) => r.path.test(req.url ?? ''));
    // The AXL log holds AXL requests only; a mounted service keeps its own.
    if (route === undefined) requests.push(log);
    if (req.method !== 'POST' || (route === undefined && !/^\/axl\/?$/.test(req.url ?? ''))) return send(html(404, 'Not Found', 'The requested resource is not available.'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(d);
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BYTES) return send(html(413, 'Payload Too Large', 'request too large'));
      log.body = Buffer.concat(chunks).toString('utf8');
      const handle = (): Promise<Reply | 'hang'> => (route !== undefined ? Promise.resolve(route.answer(log.body, req.headers)) : answer(log.body, req.headers, log));
      const delayed = latencyMs > 0 ? new Promise<void>((r) => setTimeout(r, latencyMs)).then(handle) : handle();
      delayed.then(
        (r) => {
          if (r === 'hang') {
            hanging.add(res);
            res.once('close', () => hanging.delete(res));
          } else send(r);
        },
        (e: Error) => send(soapFault(`lab: ${e.message}`, 'soapenv:Server')),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const sim: AxlSimulator = {
    host,
    port,
    pin: tls.pin,
    certPem: tls.cert,
    state,
    requests,
    rejected,
    fault: (m) => void (mode = m),
    throttle: (n) => void (throttled = n),
    hang: (o = {}) => void (hang = { apply: o.apply ?? false }),
    latency: (ms) => void (latencyMs = ms),
    mount: (r) => void routes.push(r),
    async rotateCertificate() {
      tls = await tomcatCert(opts.commonName ?? host);
      server.setSecureContext({ key: tls.key, cert: tls.cert });
      server.closeAllConnections();
      sim.pin = tls.pin;
      sim.certPem = tls.cert;
      return tls.pin;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}
