// The CLI entry the end-to-end tests run (bundled by esbuild; see helpers.ts). It dispatches to
// this command modules exactly as cli.ts does: `default.run(argv, io)` and the exit code.
// It writes its pid to $COLLABSEC_E2E_PIDFILE so a test can SIGKILL the wizard itself (not tmux).
import { writeFileSync } from 'node:fs';
import init from '../../src/commands/init.js';
import resume from '../../src/commands/resume.js';
import run from '../../src/commands/run.js';
import type { Command } from '../../src/commands/types.js';
import { UserError } from '../../src/errors.js';

const commands: Record<string, Command> = { run, resume, init };
const [name = '', ...args] = process.argv.slice(2);
const pidFile = process.env.COLLABSEC_E2E_PIDFILE;
if (pidFile !== undefined) writeFileSync(pidFile, String(process.pid));
const command = commands[name];
if (!command) {
  process.stderr.write(`unknown command ${name}\n`);
  process.exit(2);
}
try {
  process.exitCode = await command.run(args, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  process.stderr.write(`collabsec: ${e.message}\n${e.tryMessage ?? ''}\n`);
  process.exitCode = e.exitCode;
}
