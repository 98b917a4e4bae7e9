// An in-memory Io for running the session commands (status, sessions, report, resume) in-process:
// no terminal, stdout and stderr each captured whole, so a test reads what the operator would see.
import { PassThrough } from 'node:stream';
import type { Io } from '../../src/commands/types.js';

export function io(cwd: string, env: NodeJS.ProcessEnv = {}): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, stdin: new PassThrough(), env, cwd, out: () => out, err: () => err };
}
