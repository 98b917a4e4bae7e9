// One HTTPS API client per node for a live run's AXL, Control Center Services and CUPI ports: made
// at the node's first request from the port's credential, collabsec's TLS pins and the operator's
// question about a certificate seen for the first time; reused for the rest of the run; closed
// together. The password goes into the client only (each client keeps it in its closure).
import type { Action } from '../plan/types.js';
import type { HttpsNodeOptions } from '../transport/https-node.js';
import { tlsPinStore } from '../transport/tls-pins.js';
import type { Credential } from './credentials.js';

/** What every API port of a live run is given. */
export interface ApiPortOptions {
  /** The port's API user, already read or asked (secretNeeds asks before the run). */
  credential: Credential | undefined;
  /** collabsec's TLS pins (accepted certificates are appended, 0600). */
  pinsFile: string;
  /** First contact with a node's tomcat: the operator compares the fingerprint. */
  confirmCertificate: (node: string, fingerprint: string, subject: string) => Promise<boolean>;
  /** One request's bound (default the client's 60 s). */
  timeoutMs?: number;
}

/** What every node's client is made with, whatever its API: always with the operator's question. */
export type NodeClientOptions = HttpsNodeOptions & Required<Pick<HttpsNodeOptions, 'confirm'>>;

export interface NodeClients<C> {
  /** The client of the action's node, made at its first request. */
  of(a: Action): C;
  close(): void;
}

export function nodeClients<C extends { close(): void }, E extends { host: string; port: number }>(
  o: ApiPortOptions,
  api: {
    /** The error when the credential is missing: names the inventory's credentials entry. */
    missing: string;
    /** Where the action's node answers this API. */
    endpoint: (a: Action) => E | undefined;
    make: (base: NodeClientOptions, endpoint: E) => C;
  },
): NodeClients<C> {
  const pins = tlsPinStore({ file: o.pinsFile });
  const clients = new Map<string, C>();
  return {
    of(a) {
      let c = clients.get(a.target);
      if (c !== undefined) return c;
      if (o.credential === undefined) throw new Error(api.missing);
      const e = api.endpoint(a);
      if (e === undefined) throw new Error(`${a.target}: API requests without the node's address`);
      const base: NodeClientOptions = {
        node: a.target,
        host: e.host,
        port: e.port,
        username: o.credential.username,
        password: o.credential.password,
        pins,
        confirm: (fp, subject) => o.confirmCertificate(`${a.target} at ${e.host}:${e.port}`, fp, subject),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      };
      c = api.make(base, e);
      clients.set(a.target, c);
      return c;
    },
    close() {
      for (const c of clients.values()) c.close();
    },
  };
}
