// The command printed when the wizard ends ("Continue with: …"). It must work when pasted as
// printed: a session file's path is quoted for a POSIX shell (spaces, quotes, `$` survive), and a
// session in a database names its session and backend — the location alone (`postgres://…#name`)
// is not something --session takes. The backend URL never carries a password (connectPostgres
// refuses one), and is left out when it came from COLLABSEC_BACKEND, which the next shell has too.

/** One word for a POSIX shell: bare when it is plainly safe, else single-quoted. */
export function shellWord(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ResumeWhere {
  /** The session's name. */
  name: string;
  /** The session file, for the file journal. */
  file?: string;
  /** The database URL (without password) the session is kept in, and whether it came from the environment. */
  backend?: { url: string; fromEnv: boolean };
}

export function resumeCommand(w: ResumeWhere): string {
  if (w.backend === undefined) return `collabsec resume --session ${shellWord(w.file ?? w.name)}`;
  const backend = w.backend.fromEnv ? '' : ` --backend ${shellWord(w.backend.url)}`;
  return `collabsec resume --session ${shellWord(w.name)}${backend}`;
}
