// Transport errors: each names the node and the cause in one line, so the one top-level handler
// can print it as is (architecture notes, "Errors"). They are UserErrors: the operator can act
// on every one of them (fix a password, accept a key, check the network), none is a bug.
import { UserError } from '../errors.js';

export type TransportFailure =
  | 'auth-failed'
  | 'refused'
  | 'unknown-host'
  | 'unreachable'
  | 'connect-timeout'
  | 'prompt-timeout'
  | 'dropped'
  | 'host-key-unknown'
  | 'host-key-rejected'
  | 'host-key-changed'
  | 'unsafe-line';

export class TransportError extends UserError {
  constructor(
    readonly node: string,
    readonly failure: TransportFailure,
    detail: string,
    tryMessage?: string,
  ) {
    super(`${node}: ${detail}`, tryMessage);
    this.name = 'TransportError';
  }
}

export class AuthFailedError extends TransportError {
  constructor(node: string, user: string, methods: string[]) {
    super(node, 'auth-failed', `authentication failed for user "${user}" (tried ${methods.join(', ') || 'no method'})`,
      'check the user name and password (or key) in the inventory and its environment variable');
  }
}

export class ConnectionRefusedError extends TransportError {
  constructor(node: string, address: string) {
    super(node, 'refused', `connection refused by ${address}`, 'check that SSH is enabled on the node and the port is right');
  }
}

export class UnknownHostError extends TransportError {
  constructor(node: string, host: string) {
    super(node, 'unknown-host', `host name "${host}" does not resolve (DNS)`, 'check the host name in the inventory or use the IP address');
  }
}

export class UnreachableError extends TransportError {
  constructor(node: string, address: string, code: string) {
    super(node, 'unreachable', `cannot reach ${address} (${code})`, 'check routing and firewalls between this machine and the node');
  }
}

export class ConnectTimeoutError extends TransportError {
  constructor(node: string, address: string, ms: number) {
    super(node, 'connect-timeout', `no SSH handshake with ${address} within ${Math.round(ms / 1000)} s`);
  }
}

export class NoCommonAlgorithmError extends TransportError {
  constructor(node: string, address: string, detail: string) {
    super(node, 'unreachable', `no SSH algorithm in common with ${address} (${detail})`,
      'legacy algorithms are offered only to the platforms known to need them (cli-facts §1.1): check the node\'s platform in the inventory');
  }
}

export class PromptTimeoutError extends TransportError {
  constructor(node: string, waitingFor: string, ms: number) {
    super(node, 'prompt-timeout', `timed out after ${(ms / 1000).toFixed(1)} s waiting for ${waitingFor}`,
      'the device may still be working: check it before running the step again');
  }
}

export class ConnectionDroppedError extends TransportError {
  constructor(node: string, during: string) {
    super(node, 'dropped', `connection dropped ${during}`, 'the step is in doubt: its probe decides whether it was applied');
  }
}

export class HostKeyUnknownError extends TransportError {
  constructor(node: string, host: string, fingerprint: string) {
    super(node, 'host-key-unknown', `host key of ${host} is not trusted (${fingerprint}) and it was not accepted`);
  }
}

export class HostKeyChangedError extends TransportError {
  constructor(node: string, host: string, readonly oldFingerprints: string[], readonly newFingerprint: string) {
    super(node, 'host-key-changed',
      `HOST KEY CHANGED for ${host}: known ${oldFingerprints.join(' / ')}, offered ${newFingerprint} — stopping`,
      'if the node was reinstalled, verify the new fingerprint out of band and remove the old line from known_hosts');
  }
}

export class UnsafeLineError extends TransportError {
  constructor(node: string, reason: string) {
    super(node, 'unsafe-line', `refused to send a line: ${reason}`);
  }
}
