// A tiny scripted SSH device on 127.0.0.1 (ssh2 Server on port 0, as ssh2's own tests do), used
// until the shared simulators in src/lab/ land. It echoes typed characters like a PTY, speaks
// just enough VOS / IOS / MMP for the transport tests, and injects the faults of issue 4.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { generateEd25519 } from '../../src/lab/host-key.js';
import type { ServerChannel } from 'ssh2';

const { Server, utils } = ssh2;

export interface Faults {
  latencyMs?: number;
  /** Stop answering after this many commands (counting from 1). */
  silentAfter?: number;
  /** Drop the TCP connection while handling command number N. */
  dropAfter?: number;
  unexpectedQuestion?: { after: number; question: string };
}

/** `flood`: `chars` characters of output (ASCII lines, or no line break at all), written with backpressure, then `then`. */
export type Flood = { flood: { chars: number; newlines: boolean }; then: Reply };
export type Reply = string | Flood | { text: string; key: (k: string) => Reply } | { text: string; ask?: (answer: string) => Reply } | { text: string; paste: (pem: string[]) => Reply } | { text: string; delayMs: number; then: Reply };
export type Handler = (line: string, dev: MiniDevice) => Reply;

export interface MiniDevice {
  port: number;
  hostPublicKey: Buffer;
  hostKeyFingerprint: string;
  prompt: () => string;
  state: Record<string, unknown>;
  faults: Faults;
  /** Every line the device received (commands, answers, pasted lines). */
  received: string[];
  connections: number;
  /** Authentication methods attempted, in order ("none" included). */
  auths: string[];
  commands: number;
  close(): Promise<void>;
}

export function newHostKey(): { priv: string; pub: Buffer } {
  const k = generateEd25519();
  const parsed = utils.parseKey(k.private);
  if (parsed instanceof Error) throw parsed;
  return { priv: k.private, pub: parsed.getPublicSSH() };
}

export async function startMini(opts: {
  prompt: (dev: MiniDevice) => string;
  handler: Handler;
  banner?: string;
  password?: string;
  hostKey?: string;
  /** Auth methods the server offers (default both, as VOS sources disagree: cli-facts §1.1). */
  methods?: ('password' | 'keyboard-interactive')[];
}): Promise<MiniDevice> {
  const methods = opts.methods ?? ['password', 'keyboard-interactive'];
  const key = opts.hostKey ?? newHostKey().priv;
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  const pub = parsed.getPublicSSH();
  const password = opts.password ?? 'secret-pw';
  const sockets = new Set<{ end(): void }>();
  const dev: MiniDevice = {
    port: 0,
    hostPublicKey: pub,
    hostKeyFingerprint: 'SHA256:' + createHash('sha256').update(pub).digest('base64').replace(/=+$/, ''),
    prompt: () => opts.prompt(dev),
    state: {},
    faults: {},
    received: [],
    connections: 0,
    auths: [],
    commands: 0,
    close: () => new Promise((r) => { for (const s of sockets) s.end(); server.close(() => r()); }),
  };
  const server = new Server({ hostKeys: [key] }, (client) => {
    dev.connections++;
    sockets.add(client);
    // Echo is one write per character: avoid Nagle + delayed-ACK stalls (missing from @types/ssh2).
    (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      dev.auths.push(ctx.method);
      if (ctx.method === 'password' && methods.includes('password')) return ctx.password === password ? ctx.accept() : ctx.reject();
      if (ctx.method === 'keyboard-interactive' && methods.includes('keyboard-interactive')) {
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (answers[0] === password ? ctx.accept() : ctx.reject()));
      }
      ctx.reject(methods);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (ok) => ok?.());
        session.on('shell', (ok) => runShell(ok(), dev, opts, () => client.end()));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dev.port = (server.address() as AddressInfo).port;
  return dev;
}

function runShell(stream: ServerChannel, dev: MiniDevice, opts: { handler: Handler; banner?: string }, drop: () => void): void {
  let line = '';
  let silent = false;
  let waiting: ((l: string) => void) | null = null;
  let pasting: { lines: string[]; done: (pem: string[]) => Reply } | null = null;
  let keyWait: ((k: string) => void) | null = null;
  const later = (fn: () => void): void => {
    const ms = dev.faults.latencyMs ?? 0;
    if (ms > 0) setTimeout(fn, ms);
    else fn();
  };
  const write = (s: string): void => {
    if (!silent && stream.writable) stream.write(s.replace(/\n/g, '\r\n'));
  };
  const play = (r: Reply): void => {
    if (typeof r === 'string') return write(r + '\n' + dev.prompt());
    if ('flood' in r) return flood(r);
    if ('key' in r) {
      write(r.text);
      const k = r.key;
      keyWait = (c) => later(() => play(k(c)));
    } else if ('delayMs' in r) {
      write(r.text);
      setTimeout(() => play(r.then), r.delayMs);
    } else if ('ask' in r && r.ask) {
      write(r.text);
      const ask = r.ask;
      waiting = (a) => later(() => play(ask(a)));
    } else if ('paste' in r) {
      write(r.text + '\n');
      pasting = { lines: [], done: r.paste };
    } else write(r.text + '\n' + dev.prompt());
  };
  const flood = (r: Flood): void => {
    const { chars, newlines } = r.flood;
    const line = newlines ? `${'0123456789abcdef'.repeat(4)}\r\n` : '0123456789abcdef'.repeat(4) + 'xy';
    const chunk = line.repeat(Math.ceil(64 * 1024 / line.length));
    let sent = 0;
    const pump = (): void => {
      while (sent < chars) {
        const n = Math.min(chunk.length, chars - sent);
        sent += n;
        if (!stream.writable) return;
        if (!stream.write(n === chunk.length ? chunk : chunk.slice(0, n))) {
          stream.once('drain', pump);
          return;
        }
      }
      play(r.then);
    };
    pump();
  };
  const onLine = (l: string): void => {
    dev.received.push(l);
    if (pasting) {
      if (l === '' || l === 'quit') {
        const p = pasting;
        pasting = null;
        later(() => play(p.done(p.lines)));
      } else pasting.lines.push(l);
      return;
    }
    if (waiting) {
      const w = waiting;
      waiting = null;
      return w(l);
    }
    if (l === '') return later(() => write(dev.prompt()));
    dev.commands++;
    const f = dev.faults;
    if (f.dropAfter !== undefined && dev.commands >= f.dropAfter) {
      write('partial output of ' + l + '\n');
      return void setTimeout(drop, 20);
    }
    if (f.silentAfter !== undefined && dev.commands > f.silentAfter) {
      silent = true;
      return;
    }
    if (f.unexpectedQuestion && dev.commands === f.unexpectedQuestion.after) {
      return later(() => play({ text: f.unexpectedQuestion!.question, ask: (a) => `answered ${a}` }));
    }
    later(() => play(opts.handler(l, dev)));
  };
  stream.on('data', (b: Buffer) => {
    for (const ch of b.toString('utf8')) {
      if (keyWait) {
        const k = keyWait;
        keyWait = null;
        dev.received.push(`<key ${JSON.stringify(ch)}>`);
        k(ch);
      } else if (ch === '\r' || ch === '\n') {
        write('\n');
        const l = line;
        line = '';
        onLine(l);
      } else {
        line += ch;
        write(ch); // PTY echo, as a real device does
      }
    }
  });
  write((opts.banner ?? '') + dev.prompt());
}
