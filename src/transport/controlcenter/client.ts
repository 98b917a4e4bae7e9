/**
 * The Control Center Services client: one Unified CM node (the service acts on the local node
 * only), HTTPS with the tomcat certificate pinned on first use (the AXL PinnedAgent and its pin
 * store: the same tomcat answers AXL on a publisher), the one pinned HTTPS exchange of
 * src/transport/axl/pinned-request.ts, HTTP basic auth. It sends the plan's bodies exactly
 * (src/plan/controlcenter-soap.ts builds them) and reads the answers. Sources:
 * - Endpoint, namespace, the local-node rule: Cisco's SXML "Control Center Services API" page.
 * - Answer shape `<op>Response/<op>Return/{ReturnCode, ReasonCode, ReasonString,
 *   ServiceInfoList/item*{ServiceName, ServiceStatus, ReasonCode, ReasonCodeString, StartTime,
 *   UpTime}}`: the WSDL's ServiceInformationResponse as published (ControlCenterServicesEx.wsdl in
 *   PresidioCode/ciscoucserviceability; the 10.0 types generated in phnowicki/serviceabilitytools;
 *   `soapGetServiceStatusReturn` as public clients read it). [I] `soapDoServiceDeploymentReturn`
 *   by the same rule. Elements are matched by local name (qualified or not).
 * - [I] SOAPAction: the operation's name, as ControlCenterServicesEx.wsdl binds its operations.
 * - [I] 401 bad credentials, 403 a user without the Serviceability role (the usual Tomcat answers).
 * Retry policy as the AXL client's: a connection that fails before the request left is retried
 * once; a timeout or a drop after a WRITE left is "in doubt" and never retried (the caller reads
 * the status first on resume); a read is retried once. Writes go one at a time per client.
 */
import { CONTROL_CENTER_PATH } from '../../plan/controlcenter-soap.js';
import { PinnedAgent } from '../axl/pinned-agent.js';
import { pinnedRequest, retryingRequest, type PinnedReply } from '../axl/pinned-request.js';
import { asList, parseAxlResponse, textOf } from '../axl/response.js';
import { readXml } from '../axl/xml-read.js';
import type { AxlRecord, AxlValue } from '../axl/xml-write.js';
import type { HttpsNodeOptions } from '../https-node.js';
import { authFailed, ControlCenterError, forbidden, oneLine, type ControlCenterWhere } from './errors.js';

/** The node's own tomcat (8443 on Unified CM): Control Center Services act on the local node only. */
export type ControlCenterClientOptions = HttpsNodeOptions;

/** ServiceStatus values of the WSDL (see the header). */
export type ServiceState = 'Started' | 'Stopped' | 'Starting' | 'Stopping' | 'Unknown';
const STATES: readonly string[] = ['Started', 'Stopped', 'Starting', 'Stopping', 'Unknown'];

export interface ServiceInfo {
  name: string;
  status: ServiceState;
  /** ReasonCode of the item (e.g. [I] -1068 for a service not activated), when numeric. */
  reasonCode?: number;
  /** ReasonCodeString, one line. */
  reason: string;
}

export interface ControlCenterReply {
  operation: string;
  returnCode: string;
  reasonString: string;
  services: ServiceInfo[];
}

export interface ControlCenterCall {
  /** The exact SOAP envelope (from the plan). */
  body: string;
  /** The request's path (must be the Control Center Services path). */
  path?: string;
  step?: string;
  service?: string;
  signal?: AbortSignal;
}

export interface ControlCenterClient {
  readonly node: string;
  send(call: ControlCenterCall): Promise<ControlCenterReply>;
  close(): void;
}

export const CONTROL_CENTER_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/** Operations that change nothing: retried once after a lost answer; every other one is a write. */
const READS = new Set(['soapGetServiceStatus', 'soapGetStaticServiceList', 'getProductInformationList']);

/** The operation a body carries: the first element of its SOAP Body (the bodies are ours, but checked). */
export function operationOf(body: string): string {
  const env = readXml(body, { maxChars: 64 * 1024 });
  const op = env.children.find((c) => c.local === 'Body')?.children[0]?.local;
  if (op === undefined || !/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(op)) throw new Error('the request has no SOAP Body operation');
  return op;
}

function record(v: AxlValue | undefined): AxlRecord {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** The services of an answer, each checked: a status outside the WSDL's enumeration is a bad answer. */
function readServices(ret: AxlRecord, w: ControlCenterWhere): ServiceInfo[] {
  return asList(record(ret.ServiceInfoList).item).map((it) => {
    const r = record(it);
    const status = textOf(r.ServiceStatus).trim();
    if (!STATES.includes(status)) throw new ControlCenterError(w, 'bad-response', `unknown ServiceStatus "${oneLine(status, 40)}"`);
    const code = textOf(r.ReasonCode).trim();
    return { name: oneLine(textOf(r.ServiceName), 120), status: status as ServiceState, ...(/^-?\d{1,9}$/.test(code) ? { reasonCode: Number(code) } : {}), reason: oneLine(textOf(r.ReasonCodeString), 200) };
  });
}

export function createControlCenterClient(o: ControlCenterClientOptions): ControlCenterClient {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const agent = new PinnedAgent({ node: o.node, host: o.host, port: o.port, pins: o.pins, ...(o.confirm ? { confirm: o.confirm } : {}), connectTimeoutMs: timeoutMs });
  // Built once and kept in this closure only: never in an error, a log line or a child process.
  const authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`, 'utf8').toString('base64')}`;
  let writes: Promise<unknown> = Promise.resolve();

  const exchange = (c: ControlCenterCall, operation: string): Promise<PinnedReply> =>
    pinnedRequest(agent, {
      host: o.host,
      port: o.port,
      path: CONTROL_CENTER_PATH,
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${operation}"`, Authorization: authorization },
      body: Buffer.from(c.body, 'utf8'),
      ...(c.signal ? { signal: c.signal } : {}),
      timeoutMs,
      maxBytes: CONTROL_CENTER_MAX_RESPONSE_BYTES,
    });

  const run = async (c: ControlCenterCall, operation: string): Promise<ControlCenterReply> => {
    const w: ControlCenterWhere = { node: o.node, operation, ...(c.step !== undefined ? { step: c.step } : {}), ...(c.service !== undefined ? { service: c.service } : {}) };
    const write = !READS.has(operation);
    const raw = await retryingRequest(() => exchange(c, operation), {
      write,
      ...(c.signal ? { signal: c.signal } : {}),
      fail: (f) =>
        f.kind === 'in-doubt'
          ? new ControlCenterError(w, 'in-doubt', `${f.message} after the request was sent: the deployment is in doubt`, 'read the service\'s status (the step\'s check) before doing anything else; never send it again blindly')
          : f.kind === 'unreachable' && f.connect
            ? new ControlCenterError(w, 'unreachable', `cannot reach https://${o.host}:${o.port}${CONTROL_CENTER_PATH} (${f.message})`, 'check the node\'s address and httpsPort in the inventory and that Cisco Tomcat runs on it')
            : new ControlCenterError(w, f.kind, f.message),
    });
    if (raw.status === 401) throw authFailed(w, o.username);
    if (raw.status === 403) throw forbidden(w, o.username);
    if (raw.status !== 200 && raw.status !== 500) throw new ControlCenterError(w, 'http', `unexpected HTTP ${raw.status}${raw.text.trim() === '' ? '' : `: ${oneLine(raw.text.replace(/<[^>]*>/g, ' '))}`}`);
    let reply;
    try {
      reply = parseAxlResponse(raw.text, operation);
    } catch (e) {
      throw new ControlCenterError(w, raw.status === 500 ? 'http' : 'bad-response', raw.status === 500 ? `HTTP 500: ${oneLine(raw.text.replace(/<[^>]*>/g, ' '))}` : `unreadable answer (${oneLine((e as Error).message, 120)})`);
    }
    // A fault: the request was read and refused (an unknown service, a node name that is not this node…).
    if (!reply.ok) throw new ControlCenterError(w, 'fault', `refused: ${oneLine(reply.fault.faultstring || reply.fault.message) || 'SOAP fault'}`);
    const ret = record(reply.result[`${operation}Return`]);
    return { operation, returnCode: oneLine(textOf(ret.ReturnCode), 40), reasonString: oneLine(textOf(ret.ReasonString)), services: readServices(ret, w) };
  };

  const send = (c: ControlCenterCall): Promise<ControlCenterReply> => {
    if (c.path !== undefined && c.path !== CONTROL_CENTER_PATH) return Promise.reject(new Error(`Control Center request to ${c.path}: not the Control Center Services path`));
    const operation = operationOf(c.body);
    if (READS.has(operation)) return run(c, operation);
    const p = writes.then(() => run(c, operation), () => run(c, operation));
    writes = p.catch(() => undefined);
    return p;
  };

  return { node: o.node, send, close: () => agent.destroy() };
}
