// CUPI failures, one class, every message one line naming the step (when known), the operation
// and the object, so the top-level handler prints it as is. None carries the password: messages
// are built from the node, step, operation, object, user name and (sanitised) server text only.
import { UserError } from '../../errors.js';

export type CupiFailure = 'auth-failed' | 'forbidden' | 'not-found' | 'refused' | 'in-doubt' | 'timeout' | 'unreachable' | 'http' | 'bad-response' | 'conflict';

/** Printable, one line, bounded: server text and object names are untrusted. */
export function oneLine(text: string, max = 200): string {
  return text.replace(/[^\x20-\x7e\u00a0-\uffff]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

export interface CupiWhere {
  node: string;
  /** Step id (S042…), when the call belongs to one. */
  step?: string;
  /** `GET /vmrest/portgroups`, `PUT port group`… */
  operation: string;
  /** The object the call is about, by name (`PhoneSystem-1`, `5061/TLS`). */
  object?: string;
}

export class CupiError extends UserError {
  constructor(
    readonly where: CupiWhere,
    readonly failure: CupiFailure,
    detail: string,
    tryMessage?: string,
  ) {
    const step = where.step === undefined ? '' : ` ${where.step}`;
    const obj = where.object === undefined ? '' : ` "${oneLine(where.object, 100)}"`;
    super(`${where.node}:${step} CUPI ${where.operation}${obj}: ${detail}`, tryMessage);
    this.name = 'CupiError';
  }
}

export function authFailed(w: CupiWhere, user: string): CupiError {
  return new CupiError(w, 'auth-failed', `the Unity Connection administrator "${oneLine(user, 64)}" was refused (HTTP 401: bad user name or password)`,
    'check credentials.cupi in the inventory (a Unity Connection administrator with the System Administrator role) and its password environment variable');
}

export function forbidden(w: CupiWhere, user: string): CupiError {
  return new CupiError(w, 'forbidden', `the user "${oneLine(user, 64)}" may not use CUPI (HTTP 403)`,
    'give the user the System Administrator role in Cisco Unity Connection Administration (Users > Roles)');
}
