#!/usr/bin/env node
// Entry point: pick the subcommand, load only its module (so `plan` never loads ink, react or
// ssh2), and render every error in one place: UserError → message + hint with its exit code;
// anything else is a bug and shows its stack.
import { readFileSync } from 'node:fs';
import type { Command, Io } from './commands/types.js';
import { ExitCode, UserError } from './errors.js';

type Loader = () => Promise<{ default: Command }>;

/** Subcommands, in the order --help lists them. */
export const commands: Record<string, { summary: string; load: Loader }> = {
  run: { summary: 'walk through the rollout step by step (wizard; rehearsal unless --live)', load: () => import('./commands/run.js') },
  resume: { summary: 'continue a rollout session (interrupted steps are re-checked first)', load: () => import('./commands/resume.js') },
  status: { summary: 'show a session: progress, last activity, interrupted and failed steps', load: () => import('./commands/status.js') },
  sessions: { summary: 'list rollout sessions', load: () => import('./commands/sessions.js') },
  report: { summary: 'write the evidence pack of a session (markdown or html)', load: () => import('./commands/report.js') },
  plan: { summary: 'print the exact runbook for an inventory (dry-run)', load: () => import('./commands/plan.js') },
  cert: { summary: 'cert check: check a CA-signed certificate or CSR against the chapter and inventory', load: () => import('./commands/cert-check.js') },
  init: { summary: 'create an inventory by answering questions', load: () => import('./commands/init.js') },
  schema: { summary: 'print the JSON Schema of the inventory', load: () => import('./commands/schema.js') },
  lab: { summary: 'start simulated VOS, IOS and CMS devices on 127.0.0.1 for a rehearsal', load: () => import('./commands/lab.js') },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function topUsage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Usage: collabsec <command> [options]',
    '',
    'Walks a Cisco Collaboration administrator through the security rollout of the Cisco Preferred',
    'Architecture for Enterprise Collaboration 12.5 (Security chapter).',
    '',
    'Commands:',
    ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`),
    '',
    'Run `collabsec <command> --help` for the options of a command.',
    'Environment: NO_COLOR disables colour; without a terminal, output is plain and line-oriented.',
  ].join('\n');
}

function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${topUsage()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`collabsec: unknown command "${name}"\n\n${topUsage()}\n`);
    return ExitCode.usage;
  }
  try {
    const cmd = (await entry.load()).default;
    // --help is answered here for every command, so no command can forget it.
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${cmd.usage}\n`);
      return ExitCode.ok;
    }
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr.write(`collabsec ${name}: ${err.message}\n${err.tryMessage ? `${err.tryMessage}\n` : ''}`);
      return err.exitCode;
    }
    if (isParseArgsError(err)) {
      io.stderr.write(`collabsec ${name}: ${err.message}\nRun \`collabsec ${name} --help\` for usage.\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`collabsec ${name}: internal error (a bug in collabsec):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.bug;
  }
}

// Run when executed directly (not when imported by tests).
const invoked = process.argv[1] ?? '';
if (/(?:^|[\\/])(cli\.(?:js|ts)|collabsec)$/.test(invoked)) {
  const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = ExitCode.bug;
    },
  );
}
