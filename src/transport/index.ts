// Public API of the transport for the wizard/runner. Typical live run:
//   const pool = new SessionPool(resolveTarget, { knownHosts, confirmHostKey, transcriptDir, secrets, onOutput });
//   const summary = await runActions(step.actions, pool, { first: publisher, parallel }, hooks);
//   const check = await runVerify(step.checkpoint.verify, await pool.get(node));
//   await pool.closeAll();
export * from './errors.js';
export { executeAction, runCommand, runVerify, actionStatus } from './executor.js';
export type { ActionResult, ActionStatus, CommandResult, CommandStatus, ExecuteHooks, VerifyResult } from './executor.js';
export { runActions, orderActions, vosServicesGate } from './rolling.js';
export type { HealthResult, NodeRunResult, NodeStatus, RollingOptions, RollingSummary } from './rolling.js';
export { NodeSession, SessionPool } from './session.js';
export type { LiveTarget, SessionOptions } from './session.js';
export { buildClientConfig, connect, LEGACY_ALGORITHMS } from './ssh/connection.js';
export type { AuthOptions, ConnectOptions, NodeTarget } from './ssh/connection.js';
export { checkHostKey, fingerprint, formatEntry, hostToken, knownHostsStore, parseKnownHosts } from './ssh/known-hosts.js';
export type { HostKeyStatus, KnownHostEntry, KnownHostsStore } from './ssh/known-hosts.js';
export { Redactor, TranscriptWriter, REDACTED, REDACTED_KEY } from './ssh/redact.js';
export { platformSpec, vos, ios, mmp } from './platforms/index.js';
export type { PlatformSpec } from './platforms/index.js';
