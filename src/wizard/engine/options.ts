// What the engine is built from: the session journal, the ports that reach the devices and this
// machine, the decision port, and where its events go.
import type { SendPorts } from '../execute.js';
import type { CertificatePort, LocalPort, VerifyStep, WizardSession } from '../types.js';
import type { DecisionPort } from './decisions.js';
import type { EngineEvent } from './events.js';

export interface EnginePorts extends SendPorts {
  verifyStep?: VerifyStep;
  certificates?: CertificatePort;
  /** Local openssl steps on this machine (--live only). */
  local?: LocalPort;
}

export interface EngineOptions extends EnginePorts {
  session: WizardSession;
  decide: DecisionPort;
  emit?: (e: EngineEvent) => void;
  /**
   * A step collabsec does not send (a rehearsal, a GUI step): `by-hand` goes straight to its
   * checkpoint as done by the operator (plain mode); `wait` records it started and returns, the
   * operator coming back for the checkpoint after typing it (the TUI's rehearsal).
   */
  unsent: 'by-hand' | 'wait';
  /**
   * While a live command runs: registers `stop` for the operator's interrupt (SIGINT at the
   * edge) and returns the unregistration. Stopping records the step in doubt.
   */
  interrupts?: (stop: () => void) => () => void;
}
