// Every subcommand is a module exporting a `Command`. cli.ts only dispatches and renders errors;
// commands write results to io.stdout and progress to io.stderr (results stay pipeable).
import type { Writable, Readable } from 'node:stream';

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for the top-level --help. */
  summary: string;
  /** Full usage text printed by `collabsec <name> --help`. */
  usage: string;
  /** Returns the process exit code (see ExitCode in src/errors.ts). */
  run(argv: string[], io: Io): Promise<number>;
}

/** Colour is used only on a TTY and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '') && io.env.TERM !== 'dumb';
}
