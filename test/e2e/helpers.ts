// End-to-end helpers: the CLI is bundled from source once per test file with esbuild (already
// installed with vitest; a full `tsc` build takes far longer on a loaded machine and would fail
// on other layers' work in progress), next to node_modules so ink and react resolve as installed.
// The TUI runs in a real pseudo-terminal owned by tmux, and the tests read tmux's screen.
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

export const repo = path.resolve(import.meta.dirname, '..', '..');

export async function bundleLauncher(): Promise<string> {
  const outdir = path.join(repo, 'node_modules', '.cache', 'collabsec-e2e');
  await fs.mkdir(outdir, { recursive: true });
  const outfile = path.join(outdir, `launcher-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(import.meta.dirname, 'launcher.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** A temp folder holding a copy of the example inventory; sessions go to its .collabsec/. */
export async function workspace(): Promise<{ dir: string; inventory: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-e2e-'));
  const inventory = path.join(dir, 'ent-pa.yaml');
  await fs.copyFile(path.join(repo, 'examples', 'ent-pa.yaml'), inventory);
  return { dir, inventory };
}

/** The environment of a person at a terminal: CI unset (ink stops redrawing in CI), no colour. */
export function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color', ...extra };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  delete env.FORCE_COLOR;
  return env;
}

export interface PlainResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with pipes (no TTY), stdin closed: it must never wait for input. */
export function runPlain(launcher: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = terminalEnv()): Promise<PlainResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [launcher, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class Tmux {
  readonly socket = `collabsec-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly pidFile: string;
  constructor(readonly dir: string) {
    this.pidFile = path.join(dir, `wizard-${this.socket}.pid`);
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Starts `node launcher args` in a 120×50 terminal (or `size`); the pane stays readable after it exits. */
  start(launcher: string, args: string[], env: Record<string, string> = {}, size: { cols: number; rows: number } = { cols: 120, rows: 50 }): void {
    const cmd = `${[process.execPath, launcher, ...args].map(shellQuote).join(' ')}; echo "[exit $?]"; sleep 600`;
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(size.cols), '-y', String(size.rows), '-c', this.dir, cmd], {
      env: terminalEnv({ ...env, COLLABSEC_E2E_PIDFILE: this.pidFile }),
    });
  }

  screen(): string {
    return this.#tmux('capture-pane', '-p', '-t', '0');
  }

  /** The screen with its styles as escape sequences (tmux capture-pane -e): colours show as SGR codes. */
  styledScreen(): string {
    return this.#tmux('capture-pane', '-e', '-p', '-t', '0');
  }

  /** The wizard's `:` go-to: the id is typed once the field is on screen (keys sent before it would reach the step list). */
  async goTo(stepId: string): Promise<void> {
    this.send(':');
    await this.waitFor('Go to step:', 30_000);
    this.type(stepId);
    this.send('Enter');
    // Until the prompt has closed, a key sent next could reach it, or arrive in the same read as
    // this Enter, instead of the step screen (a lost Enter on a busy machine).
    await this.waitFor((s: string) => !s.includes('Go to step:'), 30_000);
  }

  /** The terminal's new size, as a person resizing the window would (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.#tmux('resize-window', '-t', '0', '-x', String(cols), '-y', String(rows));
  }

  /** Keys by tmux name (Enter, Escape, Down) or literal text with `literal`. */
  send(...keys: string[]): void {
    this.#tmux('send-keys', '-t', '0', ...keys);
  }

  /** Literal text; after `--`, so a text starting with "-" (a random lab password) is not read as a flag. */
  type(text: string): void {
    this.#tmux('send-keys', '-t', '0', '-l', '--', text);
  }

  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof what === 'string' ? s.includes(what) : typeof what === 'function' ? what(s) : what.test(s)) return s;
      if (Date.now() > end) throw new Error(`screen never showed ${String(what)}; last screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Waits until the wizard reads keys. ink draws its first frame before it puts the terminal in raw
   * mode, so a key sent the moment the frame shows can arrive in cooked mode and be lost on a busy
   * machine. `?` opens the help (harmless on any browse screen) and is re-sent until it shows; `?`
   * then closes it.
   */
  async inputReady(timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      this.send('?');
      try {
        await this.waitFor('Keys on this screen', 3_000);
        break;
      } catch (e) {
        if (Date.now() > end) throw e;
      }
    }
    this.send('?');
    await this.waitFor((s: string) => !s.includes('Keys on this screen'));
  }

  async pid(): Promise<number> {
    return Number(await fs.readFile(this.pidFile, 'utf8'));
  }

  kill(): Promise<void> {
    return new Promise((resolve) => execFile('tmux', ['-L', this.socket, 'kill-server'], () => resolve()));
  }
}

/** Polls a JSON file until `check` holds. */
export async function waitForFile<T>(file: string, check: (json: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const json = JSON.parse(await fs.readFile(file, 'utf8')) as T;
      if (check(json)) return json;
    } catch {
      // not written yet
    }
    if (Date.now() > end) throw new Error(`${file} never reached the expected state`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
