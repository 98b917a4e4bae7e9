// How a wizard run is wired at its start, for both modes: who answers an unknown SSH host key or
// HTTPS certificate, and what the operator's interrupt means while a live command runs. The
// command (commands/run.ts) only parses flags and picks the mode; these rules live here so a
// flag travels down into the wizard, never back up into the command.
import type { WizardController } from './controller.js';
import { certificateRefused, hostKeyRefused } from './messages.js';

/** First contact with a node's SSH host key or an AXL publisher's HTTPS certificate: trust it? */
export interface TrustPorts {
  hostKey: (host: string, fingerprint: string) => Promise<boolean>;
  certificate: (node: string, fingerprint: string, subject: string) => Promise<boolean>;
}

/** Plain mode: nobody can compare a fingerprint without a terminal, so an unknown one is refused (said on `say`), never trusted. */
export function refuseUnknown(say: (line: string) => void): TrustPorts {
  return {
    hostKey: (host, fp) => (say(`collabsec: ${hostKeyRefused(host, fp)}`), Promise.resolve(false)),
    certificate: (node, fp, subject) => (say(`collabsec: ${certificateRefused(node, fp, subject)}`), Promise.resolve(false)),
  };
}

/**
 * The TUI: asked on its host-key screen. The ports are built before the controller (they open the
 * transport it runs on), so it is looked up at the first contact, which only a running step makes.
 */
export function askUnknown(controller: () => WizardController): TrustPorts {
  return {
    hostKey: (host, fp) => controller().confirmHostKey(host, fp),
    certificate: (node, fp, subject) => controller().confirmHostKey(`${node} — tomcat certificate ${subject}`, fp),
  };
}

/** Plain mode: SIGINT while a live command runs means "stop waiting" (not: kill collabsec). */
export function sigintStops(stop: () => void): () => void {
  const handler = (): void => stop();
  process.on('SIGINT', handler);
  return () => void process.off('SIGINT', handler);
}
