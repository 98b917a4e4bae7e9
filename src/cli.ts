#!/usr/bin/env node
// Entry point: pick the subcommand, load only its module (so `plan` never loads ink, react or
// ssh2), and render every error in one place: UserError → message + hint with its exit code;
// anything else is a bug and shows its stack.
import { collabsecVersion } from './version.js';
import type { Command, Io } from './commands/types.js';
import { ExitCode, UserError } from './errors.js';
import { didYouMean } from './text/suggest.js';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './code-cache.js';
import { holdYoungGeneration } from './young-generation.js';
import { stayBelowOptimisingTier } from './optimising-tier.js';

type Loader = () => Promise<{ default: Command }>;

/**
 * Set by scripts/bundle.ts in the bundle only: the file names of commands built as one CommonJS
 * file each with its V8 code cache beside it (src/code-cache.ts): `plan`, and the wizard (`run`
 * and `resume`). Unbundled (tsc's output, the tests of dist/src) the command modules are imported
 * as usual. Each loader is a conditional expression, so the bundler drops the branch its define
 * rules out and the bundle carries no second copy of those commands.
 */
declare const COLLABSEC_PLAN_BUNDLE: string | undefined;
declare const COLLABSEC_WIZARD_BUNDLE: string | undefined;

const bundles = new Map<string, Record<string, Command>>();
/**
 * A command of a code-cached bundle beside this file; each bundle runs once per process (--help and
 * the did-you-mean hint load a command again). Its young generation is held from the moment its
 * cache is taken (src/young-generation.ts); `plan`'s code also stays below TurboFan
 * (src/optimising-tier.ts).
 */
function fromBundle(file: string, name: string, shortLived = false): Promise<{ default: Command }> {
  let exports = bundles.get(file);
  if (!exports) {
    const beforeRun = () => {
      holdYoungGeneration();
      if (shortLived) stayBelowOptimisingTier();
    };
    exports = loadBundle(fileURLToPath(new URL(`./${file}`, import.meta.url)), { beforeRun }).exports as Record<string, Command>;
    bundles.set(file, exports);
  }
  const command = exports[name];
  return command ? Promise.resolve({ default: command }) : Promise.reject(new Error(`${file} has no command ${name}`));
}

/** Subcommands, in the order --help lists them. */
export const commands: Record<string, { summary: string; load: Loader }> = {
  run: { summary: 'walk through the rollout step by step (wizard; rehearsal unless --live)', load: () => (typeof COLLABSEC_WIZARD_BUNDLE === 'string' ? fromBundle(COLLABSEC_WIZARD_BUNDLE, 'run') : import('./commands/run.js')) },
  resume: { summary: 'continue a rollout session (interrupted steps are re-checked first)', load: () => (typeof COLLABSEC_WIZARD_BUNDLE === 'string' ? fromBundle(COLLABSEC_WIZARD_BUNDLE, 'resume') : import('./commands/resume.js')) },
  status: { summary: 'show a session: progress, last activity, interrupted and failed steps', load: () => import('./commands/status.js') },
  sessions: { summary: 'list rollout sessions', load: () => import('./commands/sessions.js') },
  report: { summary: 'write the evidence pack of a session (markdown or html)', load: () => import('./commands/report.js') },
  plan: { summary: 'print the exact runbook for an inventory (dry-run)', load: () => (typeof COLLABSEC_PLAN_BUNDLE === 'string' ? fromBundle(COLLABSEC_PLAN_BUNDLE, 'default', true) : import('./commands/plan.js')) },
  cert: { summary: 'cert check: check a CA-signed certificate or CSR against the chapter and inventory', load: () => import('./commands/cert-check.js') },
  certs: { summary: 'probe every node and TLS port of the inventory: certificates, expiry, chain (table, JSON, HTML)', load: () => import('./commands/certs.js') },
  init: { summary: 'create an inventory by answering questions', load: () => import('./commands/init.js') },
  schema: { summary: 'print the JSON Schema of the inventory', load: () => import('./commands/schema.js') },
  lab: { summary: 'start simulated VOS, IOS and CMS devices on 127.0.0.1 for a rehearsal', load: () => import('./commands/lab.js') },
  completion: { summary: 'print a bash or zsh completion script', load: () => import('./commands/completion.js') },
};

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
    io.stdout.write(`${collabsecVersion()}\n`);
    return ExitCode.ok;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`collabsec: unknown command "${name}".${didYouMean(name, Object.keys(commands))}\n\n${topUsage()}\n`);
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
      const hint = await flagHint(err.message, entry);
      io.stderr.write(`collabsec ${name}: ${err.message}\n${hint ? `${hint.trim()}\n` : ''}Run \`collabsec ${name} --help\` for usage.\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`collabsec ${name}: internal error (a bug in collabsec):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.bug;
  }
}

/**
 * "Did you mean --inventory?" for an unknown option. The known options are read from the
 * command's usage text, the same text --help prints, so a suggestion is always a documented flag.
 */
async function flagHint(message: string, entry: { load: Loader }): Promise<string> {
  const typed = /Unknown option '(-{1,2}[^'=\s]+)/.exec(message)?.[1];
  if (!typed) return '';
  const { usage } = (await entry.load()).default;
  const known = [...new Set(usage.match(/(?<![\w-])--?[a-zA-Z][\w-]*/g) ?? [])];
  return didYouMean(typed, known.filter((k) => k.startsWith('--') === typed.startsWith('--')));
}

/**
 * `collabsec plan | head`: the reader went away. That is the operator's choice, not an error:
 * stop quietly with exit 0 instead of an EPIPE stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(ExitCode.ok);
    throw e;
  });
}

// Run when executed directly (not when imported by tests).
const invoked = process.argv[1] ?? '';
if (/(?:^|[\\/])(cli\.(?:js|ts)|collabsec)$/.test(invoked)) {
  quietOnClosedPipe(process.stdout);
  // process.stdin is made at its first read (a TTY or pipe handle and its stream, ~5 ms): only the
  // commands that read it (the wizard, prompts) pay for it.
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
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
