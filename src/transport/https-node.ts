// What a client of one node's HTTPS API is made with: AXL and Control Center Services on a
// Unified CM node's tomcat (8443), CUPI on Unity Connection's (443). Each client pins the node's
// certificate in collabsec's TLS pins (PinnedAgent) and keeps the password in its closure only.
import type { TlsPinStore } from './tls-pins.js';

export interface HttpsNodeOptions {
  /** Inventory node name (messages). */
  node: string;
  host: string;
  /** The node's HTTPS port: its httpsPort in the inventory (8443 on Unified CM, 443 on Unity Connection). */
  port: number;
  username: string;
  password: string;
  pins: TlsPinStore;
  /** Asked about a certificate with no pin (see PinnedAgent); without it an unknown certificate stops the call. */
  confirm?: (fingerprint: string, subject: string) => Promise<boolean>;
  /** One request's bound once connected (default 60 s); also the connect + handshake bound. */
  timeoutMs?: number;
}
