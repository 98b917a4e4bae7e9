// A minimal expect-style ssh2 client for driving the simulators in tests (the real transport
// lives in src/transport; these tests must not depend on it).
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';

export interface Shell {
  client: Client;
  channel: ClientChannel;
  /** Everything received so far, CRLF normalised, ANSI kept. */
  out(): string;
  /** Waits until the output after `from` matches re; returns the text up to the match end. */
  expect(re: RegExp, timeoutMs?: number): Promise<string>;
  send(text: string): void;
  line(text: string): void;
  close(): void;
}

export type Login = Partial<ConnectConfig> & { username: string; /** answer keyboard-interactive with this */ kbd?: string };

export function connect(port: number, cfg: Login): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('ready', () => resolve(c));
    const kbd = cfg.kbd;
    if (kbd !== undefined) c.on('keyboard-interactive', (_n, _i, _l, prompts, finish) => finish(prompts.map(() => kbd)));
    c.on('error', reject);
    c.connect({ host: '127.0.0.1', port, readyTimeout: 5000, hostVerifier: () => true, ...cfg });
  });
}

export async function openShell(port: number, cfg: Login, rows = 50): Promise<Shell> {
  const client = await connect(port, cfg);
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100', cols: 200, rows }, (err, ch) => (err ? reject(err) : resolve(ch))),
  );
  let buf = '';
  let pos = 0;
  let listeners: (() => void)[] = [];
  channel.on('data', (d: Buffer) => {
    buf += d.toString('utf8').replace(/\r\n/g, '\n');
    for (const l of listeners) l();
  });
  client.on('error', () => undefined);
  return {
    client,
    channel,
    out: () => buf,
    expect(re, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(buf.slice(pos));
          if (!m) return false;
          const text = buf.slice(pos, pos + m.index + m[0].length);
          pos += m.index + m[0].length;
          listeners = listeners.filter((l) => l !== onData);
          clearTimeout(timer);
          resolve(text);
          return true;
        };
        const onData = () => void check();
        const timer = setTimeout(() => {
          listeners = listeners.filter((l) => l !== onData);
          reject(new Error(`timeout waiting for ${re} in:\n${buf.slice(pos)}`));
        }, timeoutMs);
        if (!check()) listeners.push(onData);
      });
    },
    send: (t) => channel.write(t),
    line: (t) => channel.write(`${t}\n`),
    close: () => client.end(),
  };
}

/** Sends a command and returns its output up to the next prompt (without the echo line). */
export async function cmd(sh: Shell, line: string, prompt: RegExp): Promise<string> {
  sh.line(line);
  const text = await sh.expect(prompt);
  return text.replace(prompt, '').split('\n').slice(1).join('\n');
}
