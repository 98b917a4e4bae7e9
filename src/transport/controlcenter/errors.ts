// Control Center Services failures, one class, every message one line naming the node, the step
// (when known), the operation and the service, so the top-level handler prints it as is. None
// carries the password: messages are built from the node, step, operation, service, user name
// and (sanitised) server text only.
import { UserError } from '../../errors.js';

export type ControlCenterFailure = 'auth-failed' | 'forbidden' | 'fault' | 'in-doubt' | 'timeout' | 'unreachable' | 'http' | 'bad-response';

/** Printable, one line, bounded: server text and names are untrusted. */
export function oneLine(text: string, max = 200): string {
  return text.replace(/[^\x20-\x7e\u00a0-\u2027\u202a-\uffff]+/g, ' ').replace(/[\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

export interface ControlCenterWhere {
  node: string;
  step?: string;
  /** soapGetServiceStatus, soapDoServiceDeployment… */
  operation: string;
  /** The service the request is about. */
  service?: string;
}

export class ControlCenterError extends UserError {
  constructor(
    readonly where: ControlCenterWhere,
    readonly failure: ControlCenterFailure,
    readonly detail: string,
    tryMessage?: string,
  ) {
    const step = where.step === undefined ? '' : ` ${where.step}`;
    const svc = where.service === undefined ? '' : ` "${oneLine(where.service, 100)}"`;
    super(`${where.node}:${step} Control Center ${where.operation}${svc}: ${detail}`, tryMessage);
    this.name = 'ControlCenterError';
  }
}

export function authFailed(w: ControlCenterWhere, user: string): ControlCenterError {
  return new ControlCenterError(w, 'auth-failed', `the user "${oneLine(user, 64)}" was refused (HTTP 401: bad user name or password)`,
    'check credentials.controlcenter (or credentials.axl, which it defaults to) in the inventory and its password environment variable');
}

export function forbidden(w: ControlCenterWhere, user: string): ControlCenterError {
  // [I] the role name: Cisco's SXML pages say an application user's credentials; the role that
  // lets it use Serviceability's SOAP services is "Standard SERVICEABILITY Administration".
  return new ControlCenterError(w, 'forbidden', `the user "${oneLine(user, 64)}" may not use Control Center Services (HTTP 403)`,
    'give the user a group with the role "Standard SERVICEABILITY Administration" (User Management > User Group)');
}
