// Two families of errors (Shopify cli-kit's AbortError vs bugs): a UserError is something the
// operator can fix and is printed as message + what to try, with exit code `exitCode`;
// anything else is a bug and is printed with its stack by the one top-level handler in cli.ts.

/** Marks a UserError across copies of this module (see UserError's Symbol.hasInstance). */
const USER_ERROR = Symbol.for('collabsec.UserError');

export class UserError extends Error {
  /**
   * `err instanceof UserError` is true of a UserError made by any copy of this class: the launcher
   * (dist/bin/cli.js) and each bundle it loads (plan.cjs, wizard.cjs) carry one copy each, and an
   * inventory problem thrown in the plan bundle was reported by the launcher as an internal error
   * (exit 70) instead of the problem list (exit 3). Subclasses keep the usual prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UserError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [USER_ERROR]?: unknown })[USER_ERROR] === true;
  }

  readonly [USER_ERROR] = true;

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
