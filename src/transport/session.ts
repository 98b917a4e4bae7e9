// A live node session (client + shell + platform) and the pool that keeps one per node for the
// whole run, so every step on a node reuses the same SSH connection (issue 4: "opened once and
// reused"; bench: connections per node per session = 1).
import path from 'node:path';
import type { Client } from 'ssh2';
import type { Platform } from '../plan/types.js';
import { ConnectionDroppedError, PromptTimeoutError, TransportError } from './errors.js';
import { platformSpec, type PlatformSpec } from './platforms/index.js';
import { lastLine, promptMode } from './platforms/decide.js';
import { connect, type ConnectOptions, type NodeTarget } from './ssh/connection.js';
import { Redactor, TranscriptWriter } from './ssh/redact.js';
import { Shell } from './ssh/shell.js';

export interface LiveTarget extends NodeTarget {
  platform: Exclude<Platform, 'local'>;
}

export interface SessionOptions extends ConnectOptions {
  /** Per-node transcripts `<dir>/<node>.log`, 0600; omitted = no transcript. */
  transcriptDir?: string;
  /** Secrets beyond the node password (online-CA credentials, key passphrases) to redact. */
  secrets?: string[];
  /** Redacted output per node, as it arrives. */
  onOutput?: (node: string, text: string) => void;
  /** Connection life cycle, for progress displays. */
  onEvent?: (node: string, event: 'connecting' | 'connected' | 'ready' | 'closed', detail?: string) => void;
}

export class NodeSession {
  private constructor(
    readonly target: LiveTarget,
    readonly client: Client,
    readonly shell: Shell,
    private readonly transcript: TranscriptWriter | undefined,
  ) {}

  get node(): string {
    return this.target.node;
  }
  get spec(): PlatformSpec {
    return this.shell.spec;
  }

  static async open(target: LiveTarget, opts: SessionOptions): Promise<NodeSession> {
    const spec = platformSpec(target.platform);
    const redactor = new Redactor(opts.secrets ?? []);
    for (const s of [target.auth.password, target.auth.passphrase, target.auth.enableSecret]) if (s !== undefined) redactor.addSecret(s);
    opts.onEvent?.(target.node, 'connecting', `${target.host}:${target.port ?? 22}`);
    const client = await connect(target, opts);
    opts.onEvent?.(target.node, 'connected');
    const transcript = opts.transcriptDir ? await TranscriptWriter.open(path.join(opts.transcriptDir, `${target.node}.log`)) : undefined;
    let shell: Shell;
    try {
      shell = await Shell.open(client, {
        node: target.node,
        spec,
        redactor,
        ...(transcript ? { transcript } : {}),
        ...(opts.onOutput ? { onOutput: (t: string) => opts.onOutput?.(target.node, t) } : {}),
      });
    } catch (e) {
      client.end();
      throw e;
    }
    // A drop or a keepalive timeout (silent partition, case 13) ends the client: the shell must
    // learn it at once so a waiting command reports "dropped" instead of timing out later.
    client.on('error', (e: Error) => shell.markClosed(`connection error: ${redactor.scrub(e.message)}`));
    client.on('close', () => {
      shell.markClosed('connection closed by the peer or the network');
      opts.onEvent?.(target.node, 'closed');
    });
    const s = new NodeSession(target, client, shell, transcript);
    try {
      const mode = await s.waitFirstPrompt();
      if (spec.escalate && mode === spec.escalate.fromMode) await s.escalate();
      for (const line of spec.init) await s.command(line, 30_000);
    } catch (e) {
      await s.close();
      throw e;
    }
    opts.onEvent?.(target.node, 'ready');
    return s;
  }

  /** cli-facts §1.1 / §6.3: banner first, prompt up to 90 s later on VOS; nudge with Enter after a few seconds. */
  private async waitFirstPrompt(): Promise<string> {
    const { spec, shell } = this;
    let nudged = false;
    const r = await shell.waitFor((text, quietMs) => {
      // A promptless shell (xAPI) is ready once its banner has gone quiet: nothing is typed.
      if (spec.responseEnd !== undefined) return quietMs >= spec.nudgeAfterMs ? spec.prompts[0]!.mode : null;
      const mode = promptMode(spec, lastLine(text));
      if (mode !== null) return mode;
      if (!nudged && quietMs >= spec.nudgeAfterMs) {
        nudged = true;
        void shell.send('').catch(() => undefined);
      }
      return null;
    }, spec.firstPromptTimeoutMs);
    if (r.kind === 'timeout') throw new PromptTimeoutError(this.node, 'the first prompt', r.elapsedMs);
    if (r.kind === 'closed') throw new ConnectionDroppedError(this.node, `before the first prompt (${r.reason})`);
    shell.consume(shell.pending().length);
    shell.settle();
    return r.value;
  }

  /**
   * IOS user EXEC → privileged: `enable`, answer its password prompt once with the enable
   * secret (never the login password), expect a `#` prompt. Without an enable secret the
   * password prompt is left unanswered (a device with no enable password may still go to `#`).
   * A refusal (`% Access denied`, `% Bad secrets`, the password asked again, `>` back) or a
   * password prompt with no secret to give closes the channel at once: nothing more is typed,
   * not even `exit`.
   */
  private async escalate(): Promise<void> {
    const { spec, shell } = this;
    const esc = spec.escalate!;
    const secret = this.target.auth.enableSecret === '' ? undefined : this.target.auth.enableSecret;
    const hint = this.target.auth.enableSecretHint ?? 'give the enable secret of this node (the inventory names its variable in credentials.ios.enableSecretEnv)';
    const refuse = (detail: string, tryMessage: string): never => {
      shell.close();
      throw new TransportError(this.node, 'auth-failed', detail, tryMessage);
    };
    await shell.send(esc.command);
    let answered = false;
    for (;;) {
      const r = await shell.waitFor((text) => {
        if (esc.denied.some((d) => d.test(text))) return 'denied';
        const mode = promptMode(spec, lastLine(text));
        if (mode !== null) return mode;
        return esc.passwordPrompt.test(text) ? 'password' : null;
      }, 15_000);
      if (r.kind === 'timeout') {
        shell.close();
        throw new PromptTimeoutError(this.node, `the prompt after "${esc.command}"`, r.elapsedMs);
      }
      if (r.kind === 'closed') throw new ConnectionDroppedError(this.node, `during "${esc.command}" (${r.reason})`);
      const denied = r.value === 'denied' ? esc.denied.map((d) => d.exec(shell.pending())?.[0]).find((x) => x !== undefined) : undefined;
      shell.consume(shell.pending().length);
      if (r.value === 'password' && secret === undefined) refuse(`the login lands in user EXEC (">") and "${esc.command}" asks for the enable secret, which was not given; nothing was typed into the password prompt`, hint);
      if (r.value === 'password' && !answered) {
        answered = true;
        await shell.send(secret!, { secret: true });
        continue;
      }
      if (r.value !== 'password' && r.value !== 'denied' && spec.privilegedModes.includes(r.value)) break;
      const why = denied !== undefined ? `"${denied}"` : r.value === 'password' ? 'the password was asked again' : `the prompt stayed in ${r.value} mode`;
      if (secret === undefined) refuse(`the login lands in user EXEC (">") and "${esc.command}" did not reach privileged mode (${why}); no enable secret was given`, hint);
      refuse(`"${esc.command}" with the enable secret did not reach privileged mode (${why}); nothing more was sent`, `check the enable secret: ${hint}`);
    }
    shell.settle();
  }

  /** Simple command: send, wait for the prompt (answering paging), return redacted output. No dialogue. */
  async command(line: string, timeoutMs: number): Promise<string> {
    const { shell, spec } = this;
    const mark = shell.mark;
    await shell.send(line);
    for (;;) {
      const r = await shell.waitFor((text) => {
        if (promptMode(spec, lastLine(text)) !== null) return 'prompt' as const;
        const p = spec.paging.find((x) => x.pattern.test(text));
        return p ? p.keys : null;
      }, timeoutMs);
      if (r.kind === 'timeout') throw new PromptTimeoutError(this.node, `the prompt after "${line}"`, r.elapsedMs);
      if (r.kind === 'closed') throw new ConnectionDroppedError(this.node, `during "${line}" (${r.reason})`);
      shell.consume(shell.pending().length);
      if (r.value === 'prompt') break;
      shell.sendKeys(r.value);
    }
    shell.settle();
    return shell.outputSince(mark);
  }

  /** Everything the transcript was given so far is written. */
  async flushTranscript(): Promise<void> {
    await this.transcript?.flush();
  }

  async close(): Promise<void> {
    if (this.shell.closed === null) {
      try {
        await this.shell.send(this.spec.exit); // cli-facts §1.1 "send `exit` then close the channel"
      } catch {
        /* already gone */
      }
      this.shell.close();
    }
    this.client.end();
    await this.transcript?.close();
  }
}

export class SessionPool {
  private readonly sessions = new Map<string, Promise<NodeSession>>();
  /** SSH connections opened per node during this pool's life (the bench's "connections per node"). */
  readonly opened = new Map<string, number>();

  constructor(
    private readonly resolveTarget: (node: string) => LiveTarget,
    private readonly opts: SessionOptions,
  ) {}

  private readonly turns = new Map<string, Promise<void>>();

  /** The node's session, opened on first use; reopened only when the previous one has closed. */
  async get(node: string): Promise<NodeSession> {
    // One caller at a time per node, so two concurrent callers never open two connections.
    const prev = this.turns.get(node) ?? Promise.resolve();
    let release = (): void => undefined;
    const turn = new Promise<void>((r) => (release = r));
    this.turns.set(node, prev.then(() => turn));
    await prev;
    try {
      return await this.getNow(node);
    } finally {
      release();
    }
  }

  private async getNow(node: string): Promise<NodeSession> {
    const existing = this.sessions.get(node);
    if (existing) {
      const s = await existing.catch(() => null);
      if (s && s.shell.closed === null) return s;
      // Closed after a timeout, a drop or an unexpected question: release it, open a new one.
      await s?.close();
    }
    const p = NodeSession.open(this.resolveTarget(node), this.opts);
    this.opened.set(node, (this.opened.get(node) ?? 0) + 1);
    this.sessions.set(node, p);
    p.catch(() => this.sessions.delete(node));
    return p;
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.close(), () => undefined)));
  }
}

export { TransportError };
