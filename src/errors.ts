// Two families of errors (Shopify cli-kit's AbortError vs bugs): a UserError is something the
// operator can fix and is printed as message + what to try, with exit code `exitCode`;
// anything else is a bug and is printed with its stack by the one top-level handler in cli.ts.

export class UserError extends Error {
  constructor(
    message: string,
    readonly tryMessage?: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Exit codes shared by every command (documented in README). */
export const ExitCode = {
  ok: 0,
  /** Generic failure the user can fix (bad file, failed check). */
  failure: 1,
  /** Bad command-line usage. */
  usage: 2,
  /** Inventory or catalogue invalid: nothing ran. */
  invalidInput: 3,
  /** A step or checkpoint failed, or needs the operator (non-TTY run that cannot ask). */
  stepFailed: 4,
  /** Session locked by another process, or session file corrupt. */
  sessionUnavailable: 5,
  /** `certs --warn-days`: a certificate expires within the period, or a chain, name or port is wrong. */
  certificates: 6,
  /** A defect in collabsec itself (printed with its stack). */
  bug: 70,
  /** Interrupted by the operator (Ctrl-C). */
  interrupted: 130,
} as const;
