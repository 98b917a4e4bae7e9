// In-memory Io for driving commands in-process.
import { PassThrough } from 'node:stream';
import type { Io } from '../../src/commands/types.js';

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

export function captureIo(opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  const stdout = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false, columns: 120 });
  const stderr = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString()));
  stderr.on('data', (c: Buffer) => (e += c.toString()));
  return { stdout, stderr, stdin, env: opts.env ?? {}, cwd: process.cwd(), out: () => o, err: () => e };
}
