// Line discipline of a simulated device shell: echo, line and key reads, CRLF output, Ctrl-C,
// and the fault hooks (latency, silence, drop, unexpected question). Platform programs are plain
// async functions that `await term.readLine()` so each dialogue reads like the device transcript.
import type { Faults } from './types.js';

interface Waiter {
  kind: 'line' | 'key';
  echo: boolean;
  resolve: (v: string | null) => void;
}

export interface TermIo {
  write(data: string): void;
  /** Destroy the TCP socket without an SSH disconnect (dropAfter fault). */
  drop(): void;
}

export class Term {
  /** Terminal rows from the pty request; paging uses rows - 1 lines per page. */
  rows = 24;
  cols = 80;
  closed = false;
  private silent = false;
  private buf = '';
  private skipLf = false;
  private waiter: Waiter | undefined;
  private sleeper: { timer: NodeJS.Timeout; resolve: (ok: boolean) => void } | undefined;

  constructor(
    private readonly io: TermIo,
    private readonly faults: Faults,
    private readonly received: string[],
  ) {}

  /** Device output; "\n" becomes CRLF as on a real pty (cli-facts §1.1: output uses CRLF). */
  write(text: string): void {
    if (this.silent || this.closed) return;
    this.io.write(text.replace(/\r?\n/g, '\r\n'));
  }

  writeLines(lines: string[]): void {
    for (const l of lines) this.write(`${l}\n`);
  }

  /** Bytes from the client. Ctrl-C interrupts a running sleep at once (cli-facts §6.8: Ctrl-C aborts). */
  input(data: string): void {
    if (this.closed) return;
    if (this.sleeper && data.includes('\x03')) {
      const s = this.sleeper;
      this.sleeper = undefined;
      clearTimeout(s.timer);
      data = data.replace('\x03', '');
      this.write('^C\n');
      s.resolve(false);
    }
    this.buf += data;
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.sleeper?.resolve(false);
    this.sleeper = undefined;
    this.waiter?.resolve(null);
    this.waiter = undefined;
  }

  /** One line (without terminator); null on Ctrl-C or close. Faults apply here. */
  async readLine(opts: { echo?: boolean } = {}): Promise<string | null> {
    for (;;) {
      const line = await new Promise<string | null>((resolve) => {
        this.waiter = { kind: 'line', echo: opts.echo ?? true, resolve };
        this.pump();
      });
      if (line === null) return null;
      if (await this.applyFaults(line)) return line;
    }
  }

  /** One raw key, not echoed (paging prompts); "\r" stands for Enter. Null on close. */
  readKey(): Promise<string | null> {
    return new Promise((resolve) => {
      this.waiter = { kind: 'key', echo: false, resolve };
      this.pump();
    });
  }

  /** Sleep that Ctrl-C cuts short; resolves false when interrupted or closed. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = undefined;
        resolve(true);
      }, ms);
      this.sleeper = { timer, resolve };
    });
  }

  private pump(): void {
    while (this.buf.length > 0) {
      if (this.skipLf && this.buf[0] === '\n') this.buf = this.buf.slice(1);
      this.skipLf = false;
      if (this.buf.length === 0) return;
      const w = this.waiter;
      if (this.silent) {
        // A hung device still "receives": record whole lines so tests can see what was sent.
        const m = /[\r\n]/.exec(this.buf);
        if (!m) return;
        this.received.push(this.buf.slice(0, m.index));
        this.skipLf = m[0] === '\r';
        this.buf = this.buf.slice(m.index + 1);
        continue;
      }
      if (!w) return;
      if (w.kind === 'key') {
        const ch = this.buf[0] ?? '';
        this.buf = this.buf.slice(1);
        this.skipLf = ch === '\r';
        this.waiter = undefined;
        this.received.push(`<key ${JSON.stringify(ch === '\n' ? '\r' : ch)}>`);
        w.resolve(ch === '\n' ? '\r' : ch);
        continue;
      }
      const m = /[\r\n\x03]/.exec(this.buf);
      if (!m) return;
      let line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + 1);
      this.waiter = undefined;
      if (m[0] === '\x03') {
        this.write('^C\n');
        w.resolve(null);
        continue;
      }
      this.skipLf = m[0] === '\r';
      // Backspace/DEL editing, as a line-mode tty does.
      while (/[^\x08\x7f][\x08\x7f]/.test(line)) line = line.replace(/[^\x08\x7f][\x08\x7f]/, '');
      line = line.replace(/[\x08\x7f]/g, '');
      this.received.push(line);
      if (w.echo) this.write(`${line}\n`);
      else this.write('\n');
      w.resolve(line);
    }
  }

  /** Returns false when the line must be swallowed (device went silent). */
  private async applyFaults(line: string): Promise<boolean> {
    const f = this.faults;
    if (f.silentAfter !== undefined && new RegExp(f.silentAfter).test(line)) {
      this.silent = true;
      this.pump();
      return new Promise<boolean>(() => undefined); // never answers again
    }
    if (f.dropAfter !== undefined && new RegExp(f.dropAfter).test(line)) {
      // Let the command start (first output lines go out), then cut the socket.
      setTimeout(() => this.io.drop(), 15);
    }
    const q = f.unexpectedQuestion;
    if (q && new RegExp(q.after).test(line)) {
      this.write(q.question);
      const answer = await new Promise<string | null>((resolve) => {
        this.waiter = { kind: 'line', echo: true, resolve };
        this.pump();
      });
      if (answer === null) return false;
    }
    if (f.latencyMs !== undefined && f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    return true;
  }
}
