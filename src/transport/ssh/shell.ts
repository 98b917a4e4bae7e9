// One interactive PTY shell per node. VOS does not support exec (cli-facts §1.1, ctmcp), so all
// three platforms use the same shell: `vt100`, 200x50 (§6.1). Output goes through the
// normaliser (for matching) and the redactor (for everything anybody else sees). Reads are
// time-budgeted in milliseconds, never loop counts (netmiko moved from max_loops to seconds).
import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel } from 'ssh2';
import { lineProblem } from '../platforms/decide.js';
import type { PlatformSpec } from '../platforms/types.js';
import { ConnectionDroppedError, UnsafeLineError } from '../errors.js';
import { StreamNormaliser } from './normalise.js';
import { Redactor, type TranscriptWriter } from './redact.js';

/**
 * Device output is bounded (issue 19): a command that prints 100 MB must neither exhaust memory
 * nor slow down quadratically. What is kept, all in characters:
 * - the redacted output (results, captures, failure markers): the last OUTPUT_KEEP of it; what
 *   falls out is summarised as "[… N characters of output omitted …]";
 * - the unconsumed text the decisions scan: the last PENDING_KEEP (prompts, questions and
 *   paging prompts are at its end, and the device waits after each of them);
 * - the transcript, per command: its first TRANSCRIPT_HEAD, then at the end of the command a
 *   summary line and its last TRANSCRIPT_TAIL.
 * Each buffer is cut back only once it is twice its size, so trimming costs linear time overall.
 */
export const OUTPUT_KEEP = 1024 * 1024;
export const PENDING_KEEP = 64 * 1024;
export const TRANSCRIPT_HEAD = 256 * 1024;
export const TRANSCRIPT_TAIL = 64 * 1024;

export function omittedNote(n: number): string {
  return `[… ${n} characters of output omitted …]`;
}

export type WaitResult<T> = { kind: 'ok'; value: T; elapsedMs: number } | { kind: 'timeout'; elapsedMs: number } | { kind: 'closed'; elapsedMs: number; reason: string };

export interface ShellOptions {
  node: string;
  spec: PlatformSpec;
  redactor?: Redactor;
  transcript?: TranscriptWriter;
  /** Redacted output as it arrives (for the UI). */
  onOutput?: (text: string) => void;
  /** How often quiet-time decisions are re-evaluated while nothing arrives. */
  tickMs?: number;
}

export class Shell {
  readonly redactor: Redactor;
  /** Normalised, UNredacted output not yet consumed by a decision; never leaves this process. */
  private text = '';
  /** Redacted output, its last OUTPUT_KEEP..2×OUTPUT_KEEP characters, for per-command results. */
  private log = '';
  /** How many characters of redacted output were dropped from the front of `log`. */
  private logBase = 0;
  /** Redacted characters of the current command written to the transcript / left out of it. */
  private unitWritten = 0;
  private unitOmitted = 0;
  private lastDataAt = Date.now();
  private closedReason: string | null = null;
  private readonly normaliser = new StreamNormaliser();
  private readonly decoder = new StringDecoder('utf8');
  private wake: (() => void) | null = null;

  private constructor(
    private readonly channel: ClientChannel,
    private readonly opts: ShellOptions,
  ) {
    this.redactor = opts.redactor ?? new Redactor();
    channel.on('data', (b: Buffer) => this.onData(this.decoder.write(b)));
    channel.stderr.on('data', (b: Buffer) => this.onData(b.toString('utf8')));
    channel.on('close', () => this.markClosed('the channel closed'));
  }

  static open(client: Client, opts: ShellOptions): Promise<Shell> {
    return new Promise((resolve, reject) => {
      client.shell({ term: 'vt100', cols: 200, rows: 50 }, (err, channel) => {
        if (err) reject(new ConnectionDroppedError(opts.node, `while opening the shell (${err.message})`));
        else resolve(new Shell(channel, opts));
      });
    });
  }

  get node(): string {
    return this.opts.node;
  }
  get spec(): PlatformSpec {
    return this.opts.spec;
  }
  get closed(): string | null {
    return this.closedReason;
  }
  /** Characters of redacted output so far: a mark for `outputSince`. */
  get mark(): number {
    return this.logBase + this.log.length;
  }
  get quietMs(): number {
    return Date.now() - this.lastDataAt;
  }

  /** Called by the connection when the SSH client itself goes away (drop, keepalive timeout). */
  markClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.emit(this.redactor.push(this.normaliser.end()) + this.redactor.end());
    this.endUnit();
    this.wake?.();
  }

  private onData(raw: string): void {
    this.lastDataAt = Date.now();
    const clean = this.normaliser.push(raw);
    this.text += clean;
    if (this.text.length > 2 * PENDING_KEEP) this.text = this.text.slice(-PENDING_KEEP);
    this.emit(this.redactor.push(clean));
    this.wake?.();
  }

  private emit(redacted: string): void {
    if (redacted === '') return;
    this.log += redacted;
    if (this.log.length > 2 * OUTPUT_KEEP) {
      const drop = this.log.length - OUTPUT_KEEP;
      this.log = this.log.slice(drop);
      this.logBase += drop;
    }
    const room = TRANSCRIPT_HEAD - this.unitWritten;
    if (room >= redacted.length) {
      this.opts.transcript?.write(redacted);
      this.unitWritten += redacted.length;
    } else {
      if (room > 0) this.opts.transcript?.write(redacted.slice(0, room));
      this.unitWritten = TRANSCRIPT_HEAD;
      this.unitOmitted += redacted.length - Math.max(0, room);
    }
    this.opts.onOutput?.(redacted);
  }

  /** A command's output is complete: the transcript gets the summary and the tail it left out. */
  private endUnit(): void {
    if (this.unitOmitted > 0) {
      const tail = Math.min(TRANSCRIPT_TAIL, this.unitOmitted, this.log.length);
      this.opts.transcript?.write(`\n[collabsec] ${omittedNote(this.unitOmitted - tail)}\n${this.log.slice(this.log.length - tail)}`);
    }
    this.unitWritten = 0;
    this.unitOmitted = 0;
  }

  /** A line of our own in the transcript (timeouts, stops), marked so it is never taken for device output. */
  note(text: string): void {
    this.opts.transcript?.write(`\n[collabsec ${new Date().toISOString()}] ${this.redactor.scrub(text)}\n`);
  }

  /** Release what the redactor holds (a command finished: its tail is decided). */
  settle(): void {
    this.emit(this.redactor.end());
    this.endUnit();
  }

  /** Redacted output since `mark`; when more arrived than is kept, its tail after a summary line. */
  outputSince(mark: number): string {
    if (mark >= this.logBase) return this.log.slice(mark - this.logBase);
    return `${omittedNote(this.logBase - mark)}\n${this.log}`;
  }

  pending(): string {
    return this.text;
  }

  consume(to: number): string {
    const taken = this.text.slice(0, to);
    this.text = this.text.slice(to);
    return taken;
  }

  /** Send exactly one clean line (plus Enter). Throws UnsafeLineError for anything else. */
  async send(line: string, opts: { secret?: boolean; charDelayMs?: number } = {}): Promise<void> {
    const problem = lineProblem(this.opts.spec, line);
    if (problem !== null) throw new UnsafeLineError(this.node, problem);
    if (opts.secret === true) this.redactor.addSecret(line);
    this.assertOpen('before sending');
    if (opts.charDelayMs !== undefined && opts.charDelayMs > 0 && line.length <= 8) {
      // Short confirmations typed one character at a time (cli-facts §1.1: VOS may drop
      // fast-typed input at confirmation prompts).
      for (const ch of line) {
        this.channel.write(ch);
        await delay(opts.charDelayMs);
        this.assertOpen('while typing an answer');
      }
      this.channel.write(this.opts.spec.enter ?? '\n');
      return;
    }
    this.channel.write(line + (this.opts.spec.enter ?? '\n'));
  }

  /** Paging keys only (space, q, n), no Enter. */
  sendKeys(keys: ' ' | 'q' | 'n'): void {
    this.assertOpen('while paging');
    this.channel.write(keys);
  }

  private assertOpen(during: string): void {
    if (this.closedReason !== null) throw new ConnectionDroppedError(this.node, `${during} (${this.closedReason})`);
  }

  /**
   * Evaluate `decide` on every arrival and every tick until it returns a value, the budget
   * runs out, or the connection closes. The budget is wall-clock time from the call.
   */
  async waitFor<T>(
    decide: (text: string, quietMs: number) => T | null,
    budgetMs: number,
    signal?: AbortSignal,
  ): Promise<WaitResult<T>> {
    const start = Date.now();
    const tick = this.opts.tickMs ?? 50;
    const onAbort = (): void => this.wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const value = decide(this.text, this.quietMs);
        const elapsedMs = Date.now() - start;
        if (value !== null) return { kind: 'ok', value, elapsedMs };
        if (this.closedReason !== null) return { kind: 'closed', elapsedMs, reason: this.closedReason };
        // Operator's "stop waiting" (case 14) ends the wait like a timeout: the step is in doubt.
        if (elapsedMs >= budgetMs || signal?.aborted === true) return { kind: 'timeout', elapsedMs };
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, Math.min(tick, budgetMs - elapsedMs));
          function done(): void {
            clearTimeout(t);
            resolve();
          }
          this.wake = done;
        });
        this.wake = null;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Close the channel (after a timeout nothing more is sent: reliability.md case 12). */
  close(): void {
    this.channel.close();
    this.markClosed('closed by collabsec');
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
