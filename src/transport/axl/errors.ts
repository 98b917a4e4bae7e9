// AXL failures, one class each, every message one line naming the node and the operation (and
// the object when there is one) so the top-level handler prints it as is. None carries the
// password: messages are built from the node, operation, object, user name and server text only.
import { UserError } from '../../errors.js';

export type AxlFailure = 'fault' | 'auth-failed' | 'forbidden' | 'version-mismatch' | 'throttled' | 'in-doubt' | 'timeout' | 'unreachable' | 'http' | 'bad-response';

export class AxlError extends UserError {
  constructor(
    readonly node: string,
    readonly operation: string,
    readonly failure: AxlFailure,
    detail: string,
    tryMessage?: string,
  ) {
    super(`${node}: AXL ${operation}: ${detail}`, tryMessage);
    this.name = 'AxlError';
  }
}

/** `what` shown after the operation: ` "name"` when the request names an object. */
function obj(object: string | undefined): string {
  return object === undefined ? '' : ` "${object}"`;
}

/** An `axlError` SOAP fault: the request was understood and refused (HTTP 500). */
export class AxlFault extends AxlError {
  constructor(
    node: string,
    operation: string,
    readonly object: string | undefined,
    readonly code: number | undefined,
    readonly axlMessage: string,
  ) {
    super(node, operation, 'fault', `${obj(object).trimStart()}${object === undefined ? '' : ': '}AXL error${code === undefined ? '' : ` ${code}`}: ${axlMessage}`);
    this.name = 'AxlFault';
  }
}

export class AxlAuthFailed extends AxlError {
  constructor(node: string, operation: string, user: string) {
    super(node, operation, 'auth-failed', `the AXL user "${user}" was refused (HTTP 401: bad user name or password)`,
      'check credentials.axl in the inventory (an application user, not the OS admin) and its password environment variable');
    this.name = 'AxlAuthFailed';
  }
}

export class AxlForbidden extends AxlError {
  constructor(node: string, operation: string, user: string) {
    super(node, operation, 'forbidden', `the AXL user "${user}" is not allowed to use AXL (HTTP 403)`,
      'give the user a group with the roles "Standard AXL API Access" and "Standard CCM Admin Users" (User Management > User Group)');
    this.name = 'AxlForbidden';
  }
}

export class AxlVersionMismatch extends AxlError {
  constructor(node: string, operation: string, cucmVersion: string, sent: string, serverSays: string) {
    super(node, operation, 'version-mismatch', `the server does not accept AXL ${sent} (the inventory says Unified CM ${cucmVersion})${serverSays === '' ? '' : `: ${serverSays}`}`,
      'set cucm[].version in the inventory to the cluster\'s release (show version active on the publisher)');
    this.name = 'AxlVersionMismatch';
  }
}

export class AxlThrottled extends AxlError {
  constructor(node: string, operation: string, object: string | undefined, budgetMs: number, attempts: number) {
    super(node, operation, 'throttled', `${obj(object).trimStart()}${object === undefined ? '' : ': '}still throttled (HTTP 503) after ${attempts} attempts over ${Math.round(budgetMs / 1000)} s; nothing was written`,
      'AXL throttles writes while the publisher is busy: wait and run the step again');
    this.name = 'AxlThrottled';
  }
}

/** A write whose outcome is unknown: the request left, no answer came back. Never retried. */
export class AxlInDoubt extends AxlError {
  constructor(node: string, operation: string, readonly object: string | undefined, why: string) {
    super(node, operation, 'in-doubt', `${obj(object).trimStart()}${object === undefined ? '' : ': '}${why} after the request was sent: the write is in doubt`,
      'read the object back (its get… or the step\'s check) before doing anything else');
    this.name = 'AxlInDoubt';
  }
}

export class AxlTimeout extends AxlError {
  constructor(node: string, operation: string, ms: number) {
    super(node, operation, 'timeout', `no answer within ${Math.round(ms / 1000)} s`);
    this.name = 'AxlTimeout';
  }
}

export class AxlUnreachable extends AxlError {
  constructor(node: string, operation: string, address: string, detail: string) {
    super(node, operation, 'unreachable', `cannot reach https://${address}/axl/ (${detail})`,
      'check the publisher\'s address and httpsPort in the inventory, and that the Cisco AXL Web Service is activated');
    this.name = 'AxlUnreachable';
  }
}

export class AxlHttpError extends AxlError {
  constructor(node: string, operation: string, readonly status: number, summary: string) {
    super(node, operation, 'http', `unexpected HTTP ${status}${summary === '' ? '' : `: ${summary}`}`);
    this.name = 'AxlHttpError';
  }
}

export class AxlBadResponse extends AxlError {
  constructor(node: string, operation: string, detail: string) {
    super(node, operation, 'bad-response', `unreadable response (${detail})`);
    this.name = 'AxlBadResponse';
  }
}
