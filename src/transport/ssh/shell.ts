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
  /** Redacted output of the whole session, for per-command results. */
  private log = '';
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
  /** Length of the redacted log: a mark for `outputSince`. */
  get mark(): number {
    return this.log.length;
  }
  get quietMs(): number {
    return Date.now() - this.lastDataAt;
  }

  /** Called by the connection when the SSH client itself goes away (drop, keepalive timeout). */
  markClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.emit(this.redactor.push(this.normaliser.end()) + this.redactor.end());
    this.wake?.();
  }

  private onData(raw: string): void {
    this.lastDataAt = Date.now();
    const clean = this.normaliser.push(raw);
    this.text += clean;
    this.emit(this.redactor.push(clean));
    this.wake?.();
  }

  private emit(redacted: string): void {
    if (redacted === '') return;
    this.log += redacted;
    this.opts.transcript?.write(redacted);
    this.opts.onOutput?.(redacted);
  }

  /** A line of our own in the transcript (timeouts, stops), marked so it is never taken for device output. */
  note(text: string): void {
    this.opts.transcript?.write(`\n[collabsec ${new Date().toISOString()}] ${this.redactor.scrub(text)}\n`);
  }

  /** Release what the redactor holds (a command finished: its tail is decided). */
  settle(): void {
    this.emit(this.redactor.end());
  }

  outputSince(mark: number): string {
    return this.log.slice(mark);
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
      this.channel.write('\n');
      return;
    }
    this.channel.write(line + '\n');
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
