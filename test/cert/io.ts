// A captured Io for running commands in-process.
import { PassThrough, Writable } from 'node:stream';
import type { Io } from '../../src/commands/types.js';

export function captureIo(opts: { tty?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    { isTTY: opts.tty ?? false },
  );
  const stderr = new Writable({
    write(chunk: Buffer, _enc, cb) {
      err += chunk.toString();
      cb();
    },
  });
  return { stdout, stderr, stdin: new PassThrough(), env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd(), out: () => out, err: () => err };
}
