// How the session database failing reaches the operator: one line naming the database (never a
// password), exit 5, and whether the change was recorded. Shared by the store and the lease code,
// so a server that goes away during a claim reads the same as during a write.
import { ExitCode, UserError } from '../errors.js';

/** The session database cannot be reached or used: one line, exit 5, nothing runs. */
export class SessionBackendUnavailableError extends UserError {
  constructor(location: string, why: string, during: 'start' | 'write') {
    super(
      `The session database ${location} cannot be used: ${why}. ${during === 'start' ? 'Nothing was run.' : 'This change was not recorded.'}`,
      during === 'start'
        ? 'Check that PostgreSQL runs there and accepts you (PGPASSWORD, or type the password when asked), then run the command again.'
        : 'When the database is back, run collabsec resume: a step in progress is re-checked, never re-sent blindly.',
      ExitCode.sessionUnavailable,
    );
    this.name = 'SessionBackendUnavailableError';
  }
}

/** Why a connection failed, in words; pg's messages name no password. */
export function reason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is PostgreSQL running and listening there?)',
    ENOENT: 'no server socket there (is PostgreSQL running?)',
    ENOTFOUND: 'the host name does not resolve',
    ETIMEDOUT: 'the connection timed out',
    '28P01': 'password authentication failed',
    '28000': 'the server does not accept this user from here',
    '3D000': 'the database does not exist',
    '57P03': 'the server is starting up or shutting down',
  };
  return (err.code !== undefined ? known[err.code] : undefined) ?? (err.message ?? String(e)).split('\n')[0]!;
}

/** Errors of the connection (not of collabsec's SQL): the database went away or refused us. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return /^(08|57P|28|3D)/.test(code) || /^E[A-Z]+$/.test(code) || /Connection terminated|timeout/i.test((e as Error).message ?? '');
}
