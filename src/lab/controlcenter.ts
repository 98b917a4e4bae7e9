// The lab's Control Center Services (issue 21: S021, S029): POST
// /controlcenterservice2/services/ControlCenterServices on a Unified CM node's tomcat (mounted on
// the lab's AXL HTTPS server, so the same certificate answers both), basic auth, SOAP 1.1. It
// answers from the node's VOS service table (src/lab/vos-state.ts), the one the SSH simulator's
// `utils service list` prints, so both always agree. Sources as src/transport/controlcenter/client.ts:
// - soapGetServiceStatus(ServiceStatus: a name, or empty for all) → ServiceInformationResponse
//   with an item per service {ServiceName, ServiceStatus, ReasonCode, ReasonCodeString, StartTime, UpTime};
// - soapDoServiceDeployment(DeploymentServiceRequest {NodeName, DeployType, ServiceList}) acts on
//   the local node only (Cisco SXML: "operations work only on the local node identified by the
//   NodeName element"); Deploy activates, the service goes Starting then Started.
// Inferred, marked [I] where used: ReasonCode -1068 "Service Not Activated" for a service that is
// installed but not activated (Stopped), -1 with a blank string for a running one; StartTime's
// text; ReturnCode "0"; SOAP faults (soapenv:Client) for a NodeName that is not this node, an
// unknown service or operation; a deployment of an activated service changes nothing.
// Tests switch faults on: 401, 403 (no Serviceability role), and a hang (the request is read,
// perhaps applied, and never answered).
import type { IncomingHttpHeaders } from 'node:http';
import { CONTROL_CENTER_NS, CONTROL_CENTER_PATH } from '../plan/controlcenter-soap.js';
import { escapeXml, readXml, SOAP_ENV, type XmlElement } from '../transport/axl/index.js';
import { html, soapFault, type Reply } from './axl/replies.js';
import type { LabRoute } from './axl/server.js';
import type { ServiceStatus, VosNodeState } from './vos-state.js';

export type ControlCenterFaultMode = 'unauthorized' | 'no-serviceability-role';

export interface ControlCenterRequestLog {
  operation: string;
  status: number;
  body: string;
}

export interface ControlCenterService {
  route: LabRoute;
  node: VosNodeState;
  requests: ControlCenterRequestLog[];
  fault(mode: ControlCenterFaultMode | null): void;
  /** Read the next request and never answer it; with `apply`, perform it first (an in-doubt deployment). */
  hang(opts?: { apply?: boolean }): void;
}

const MAX_REQUEST_CHARS = 256 * 1024;

function checkAuth(header: string | undefined, users: Record<string, string>): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return false;
  const plain = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  return colon > 0 && Object.hasOwn(users, plain.slice(0, colon)) && users[plain.slice(0, colon)] === plain.slice(colon + 1);
}

const child = (el: XmlElement | undefined, local: string): XmlElement | undefined => el?.children.find((c) => c.local === local);

/** The WSDL's ServiceStatus and the reason for a VOS state ([I] codes and strings, see the header). */
function statusOf(st: ServiceStatus): { status: string; code: number; reason: string } {
  if (st === 'STARTED') return { status: 'Started', code: -1, reason: ' ' };
  if (st === 'STARTING') return { status: 'Starting', code: -1, reason: ' ' };
  if (st === 'STOPPING') return { status: 'Stopping', code: -1, reason: ' ' };
  if (st === 'NOT_ACTIVATED') return { status: 'Stopped', code: -1068, reason: 'Service Not Activated' };
  return { status: 'Stopped', code: -1, reason: 'Commanded Out of Service' };
}

function item(node: VosNodeState, name: string): string {
  const s = statusOf(node.services[name]!);
  const at = node.services[name] === 'STARTED' ? node.startedAt[name] : undefined;
  const start = at === undefined ? '' : new Date(at).toUTCString(); // [I] text of StartTime
  const up = at === undefined ? -1 : Math.floor((Date.now() - at) / 1000);
  return `<ns:item><ns:ServiceName>${escapeXml(name)}</ns:ServiceName><ns:ServiceStatus>${s.status}</ns:ServiceStatus><ns:ReasonCode>${s.code}</ns:ReasonCode><ns:ReasonCodeString>${escapeXml(s.reason)}</ns:ReasonCodeString><ns:StartTime>${escapeXml(start)}</ns:StartTime><ns:UpTime>${up}</ns:UpTime></ns:item>`;
}

function answerOf(operation: string, node: VosNodeState, names: string[]): Reply {
  const body = `<ns:${operation}Response xmlns:ns="${CONTROL_CENTER_NS}"><ns:${operation}Return><ns:ReturnCode>0</ns:ReturnCode><ns:ReasonCode>-1</ns:ReasonCode><ns:ReasonString> </ns:ReasonString><ns:ServiceInfoList>${names.map((n) => item(node, n)).join('')}</ns:ServiceInfoList></ns:${operation}Return></ns:${operation}Response>`;
  return { status: 200, contentType: 'text/xml;charset=UTF-8', body: `<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="${SOAP_ENV}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>` };
}

/** Deploy: a service not activated starts (Starting, then Started after the node's restart time). */
function deploy(node: VosNodeState, name: string): void {
  if (node.services[name] !== 'NOT_ACTIVATED') return; // [I] already activated: nothing changes
  node.services[name] = 'STARTING';
  setTimeout(() => {
    if (node.services[name] !== 'STARTING') return;
    node.services[name] = 'STARTED';
    node.startedAt[name] = Date.now();
  }, node.restartMs).unref();
}

function undeploy(node: VosNodeState, name: string): void {
  node.services[name] = 'NOT_ACTIVATED';
  delete node.startedAt[name];
}

export function controlCenterService(opts: { users: Record<string, string>; node: VosNodeState }): ControlCenterService {
  const { node } = opts;
  const requests: ControlCenterRequestLog[] = [];
  let mode: ControlCenterFaultMode | null = null;
  let hang: { apply: boolean } | undefined;

  /** What the request does, or a fault; `apply` false: only checked (a hang that does not apply). */
  const handle = (body: string, apply: boolean, log: ControlCenterRequestLog): Reply => {
    let env: XmlElement;
    try {
      env = readXml(body, { maxChars: MAX_REQUEST_CHARS });
    } catch (e) {
      return soapFault(`lab: unreadable request (${(e as Error).message})`);
    }
    const op = env.local === 'Envelope' && env.ns === SOAP_ENV ? child(env, 'Body')?.children[0] : undefined;
    if (op === undefined || op.ns !== CONTROL_CENTER_NS) return soapFault('lab: no Control Center Services operation in the SOAP Body');
    log.operation = op.local;
    if (op.local === 'soapGetServiceStatus') {
      const want = (child(op, 'ServiceStatus')?.text ?? '').trim();
      // [I] a name the node does not have answers an empty list.
      return answerOf(op.local, node, want === '' ? Object.keys(node.services) : Object.hasOwn(node.services, want) ? [want] : []);
    }
    if (op.local === 'soapDoServiceDeployment') {
      const req = child(op, 'DeploymentServiceRequest');
      const nodeName = (child(req, 'NodeName')?.text ?? '').trim().toLowerCase();
      const type = (child(req, 'DeployType')?.text ?? '').trim();
      const names = (child(req, 'ServiceList')?.children ?? []).filter((c) => c.local === 'item').map((c) => c.text.trim());
      // Cisco: the local node only. [I] the fault for another node's name (or its shape).
      if (nodeName !== (node.fqdn ?? node.hostname).toLowerCase() && nodeName !== node.hostname.toLowerCase()) return soapFault(`NodeName ${nodeName.slice(0, 80)} is not this node`);
      if (type !== 'Deploy' && type !== 'UnDeploy') return soapFault(`DeployType must be Deploy or UnDeploy`);
      const unknown = names.find((n) => !Object.hasOwn(node.services, n));
      if (names.length === 0 || unknown !== undefined) return soapFault(`Service ${(unknown ?? '').slice(0, 80)} not found`); // [I]
      if (apply) for (const n of names) (type === 'Deploy' ? deploy : undeploy)(node, n);
      return answerOf(op.local, node, names);
    }
    return soapFault(`lab: ${op.local.slice(0, 60)} is not simulated`);
  };

  const answer = (body: string, headers: IncomingHttpHeaders): Reply | 'hang' => {
    const log: ControlCenterRequestLog = { operation: '', status: 0, body };
    requests.push(log);
    const reply = ((): Reply | 'hang' => {
      if (mode === 'unauthorized' || !checkAuth(headers.authorization, opts.users)) return html(401, 'Unauthorized', 'This request requires HTTP authentication.', { 'WWW-Authenticate': 'Basic realm="Cisco Serviceability"' });
      if (mode === 'no-serviceability-role') return html(403, 'Forbidden', 'Access to the requested resource has been denied');
      if (hang) {
        const { apply } = hang;
        hang = undefined;
        handle(body, apply, log);
        return 'hang';
      }
      return handle(body, true, log);
    })();
    log.status = reply === 'hang' ? 0 : reply.status;
    return reply;
  };

  return {
    route: { path: new RegExp(`^${CONTROL_CENTER_PATH.replace(/[/.]/g, '\\$&')}$`), answer },
    node,
    requests,
    fault: (m) => void (mode = m),
    hang: (o = {}) => void (hang = { apply: o.apply ?? false }),
  };
}
