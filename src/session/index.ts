// The session API the wizard, `resume`, `status` and `report` use. UI-free by lint rule.
export { openSession, acceptTamperedJournal, acceptTamperedSession, Session, hasBackout, probeVerdict, type OpenSessionOptions, type StepResult } from './journal.js';
export { StaleSessionError, type SessionStore, type SessionBackend, type CommitOptions } from './store.js';
export { FileSessionStore, FileSessionBackend } from './file-store.js';
export { loadSession, restoreBackup, inspectBackup, CorruptSessionError, TamperedSessionError, type BackupInfo } from './load.js';
export { verifyJournal, describeBreak, integrityLine, isTampered, type JournalIntegrity, type ChainBreak } from './chain.js';
export { acquireLock, SessionLockedError, readLockOwner, lockPathFor, type LockOptions, type LockOwner, type SessionLock } from './lock.js';
export { diffPlan, markInterrupted, nextStep, preconditionsMet, progress, lastActivity, stepStatus, type PlanDiff, type NextStep, type Progress, type ChangedStep } from './resume.js';
export { defaultSessionDir, defaultSessionName, sessionFilePath, resolveSession, findSession, listSessions, type SessionListing, type ResolvedSession } from './paths.js';
export { writeFileAtomic, ensurePrivateDir, cleanTempFiles, backupPath } from './atomic-write.js';
export { planHash, planHashes, stepCommandsHash, type PlanHashes } from './hash.js';
export * from './state.js';
