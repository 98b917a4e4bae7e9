// Local steps: run a plan's command line (openssl genrsa / req / pkcs12 …) on the operator's
// machine, in a per-session working folder, without a shell. Guarantees (reliability cases 9, 10):
// - secrets reach openssl on file descriptor 3 (`-passout fd:3`), never argv or the environment,
//   so neither /proc/<pid>/cmdline nor /proc/<pid>/environ can show them;
// - the child gets a minimal environment (childEnv: PATH, HOME, LANG, LC_ALL, TMPDIR), never the
//   parent's, so exported COLLABSEC_*_PASSWORD variables do not reach it (issue 19);
// - every output file (-out/-keyout) is created by us, 0600, before openssl writes its first byte,
//   whatever the umask; the working folder is 0700.
import { chmod, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { ExitCode, UserError } from '../errors.js';
import { stripControls } from '../text/controls.js';

export class LocalStepError extends UserError {
  constructor(
    message: string,
    tryMessage?: string,
    readonly stderr = '',
  ) {
    super(message, tryMessage, ExitCode.stepFailed);
    this.name = 'LocalStepError';
  }
}

const SHELL_OPERATORS = new Set(['|', '||', '&', '&&', ';', '>', '>>', '<', '<<', '2>', '2>&1']);

/**
 * Splits a plan line into argv: whitespace separates, "double" or 'single' quotes group (no
 * escapes; the plan's lines never need them). There is no shell, so shell operators are refused
 * rather than silently passed to openssl as file names.
 */
export function parseCommandLine(line: string): string[] {
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(line.replace(/\t/g, ' '))) {
    throw new LocalStepError('the command line contains control characters (newline, NUL, ESC…); refusing to run it');
  }
  const argv: string[] = [];
  let cur = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inToken) argv.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (quote) throw new LocalStepError(`unbalanced ${quote} quote in: ${line}`);
  if (inToken) argv.push(cur);
  if (argv.length === 0) throw new LocalStepError('empty command line');
  const op = argv.find((a) => SHELL_OPERATORS.has(a));
  if (op) throw new LocalStepError(`"${op}" is shell syntax, but local steps run without a shell: ${line}`, 'split the line into separate steps');
  return argv;
}

/** Quotes tokens with spaces, for showing the exact command (never contains a secret). */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s"']/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
}

/** Creates (or tightens) the per-session working folder: a real directory, mode 0700. */
export async function ensureWorkdir(dir: string): Promise<string> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true, mode: 0o700 });
  const st = await lstat(abs);
  if (!st.isDirectory()) throw new LocalStepError(`${abs} is not a folder (a symbolic link or file is in the way)`);
  // mkdir's mode is filtered by the umask and ignored for an existing folder: set it explicitly.
  await chmod(abs, 0o700);
  return abs;
}

export interface LocalStepOptions {
  /** Working folder (see ensureWorkdir); relative paths in the line resolve against it. */
  cwd: string;
  /** Distinguished name for `openssl req -new` without -subj, e.g. "/C=US/O=Cisco/CN=us-tms1.ent-pa.com". */
  subject?: string;
  /** Extra arguments appended after the line's own (e.g. ['-addext', 'subjectAltName=DNS:…']). */
  extraArgs?: string[];
  /**
   * Password sent on fd 3. `-passout fd:3` is added when openssl would otherwise prompt for an
   * output password (PKCS#12 export, encrypted key); a line may also say `-passin fd:3` itself.
   */
  password?: string;
  /** Let existing output files be replaced (off by default: a re-run must not destroy a key in use). */
  overwrite?: boolean;
  /** Extra environment (tests set PATH); merged over the minimal one (childEnv). Secret-looking names are dropped. */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Aborting stops openssl (Ctrl-C in the wizard); its partial outputs are removed. */
  signal?: AbortSignal;
  /** Called once the process exists (before any secret is written to it). */
  onSpawn?: (pid: number) => void;
}

export interface LocalStepResult {
  argv: string[];
  display: string;
  stdout: string;
  stderr: string;
  /** Absolute paths of the files the command created. */
  outputs: string[];
}

const OUTPUT_FLAGS = new Set(['-out', '-keyout']);
const CIPHER_FLAG = /^-(aes(128|192|256)|des3|aria\d+|camellia\d+)$/;

function needsPassout(argv: readonly string[]): boolean {
  if (argv[0] !== 'openssl') return false;
  if (argv[1] === 'pkcs12') return argv.includes('-export') && !argv.includes('-nodes');
  return argv.some((a) => CIPHER_FLAG.test(a));
}

/** Adds what non-interactive openssl needs and refuses what would leak a secret. */
export function prepareArgv(line: string, opts: Pick<LocalStepOptions, 'subject' | 'extraArgs' | 'password'>): string[] {
  const argv = [...parseCommandLine(line), ...(opts.extraArgs ?? [])];
  argv.forEach((a, i) => {
    if (/^-pass(in|out)?$/.test(a) && /^(pass|env):/.test(argv[i + 1] ?? '')) {
      throw new LocalStepError(`${a} ${(argv[i + 1] ?? '').split(':')[0]}:… would put a password on the command line or in the environment`, 'leave the password out of the line; collabsec asks for it and passes it on a file descriptor');
    }
  });
  // `req -new`, `-newkey` or `-x509` without `-in` builds a new request and prompts for its DN.
  const buildsRequest = ['-new', '-newkey', '-x509'].some((f) => argv.includes(f)) && !argv.includes('-in');
  if (argv[0] === 'openssl' && argv[1] === 'req' && buildsRequest && !argv.includes('-subj')) {
    if (opts.subject === undefined) {
      throw new LocalStepError('openssl req would prompt for the subject (country, organisation, common name…)', 'give the subject, e.g. /C=US/O=Example/CN=us-tms1.ent-pa.com');
    }
    if (!/^\/[^\u0000-\u001f]*$/.test(opts.subject)) throw new LocalStepError(`subject "${opts.subject}" must look like /C=US/O=Example/CN=host.example.com`);
    argv.push('-subj', opts.subject);
  }
  if (needsPassout(argv) && !argv.includes('-passout')) {
    if (opts.password === undefined) throw new LocalStepError(`${displayCommand(argv.slice(0, 2))} needs a password`, 'the wizard asks for it and passes it on a file descriptor');
    argv.push('-passout', 'fd:3');
  }
  return argv;
}

function outputPaths(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    const v = argv[i + 1];
    if (!OUTPUT_FLAGS.has(a) || v === undefined) return;
    const abs = resolve(cwd, v);
    const rel = relative(cwd, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new LocalStepError(`${a} ${v} is outside the session working folder ${cwd}`, 'use a plain file name; outputs stay in the working folder');
    }
    out.push(abs);
  });
  return out;
}

/** 0600 from the first byte: create empty and chmod before openssl opens it (O_TRUNC keeps the mode). */
async function precreate(paths: readonly string[], overwrite: boolean): Promise<string[]> {
  const created: string[] = [];
  try {
    for (const p of paths) {
      let fh;
      try {
        fh = await open(p, overwrite ? 'w' : 'wx', 0o600);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new LocalStepError(`${p} already exists; refusing to overwrite it`, 'move it away if it is no longer needed, or keep using it');
        throw e;
      }
      try {
        await fh.chmod(0o600);
      } finally {
        await fh.close();
      }
      created.push(p);
    }
  } catch (e) {
    await removeAll(created);
    throw e;
  }
  return created;
}

async function removeAll(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => unlink(p).catch(() => undefined)));
}

/** The only variables a child inherits from collabsec's environment. */
export const CHILD_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR'] as const;
const SECRET_NAME = /PASS|SECRET|TOKEN|KEY|CRED|AUTH/i;

/**
 * The environment of every child collabsec starts: PATH, HOME, LANG, LC_ALL and TMPDIR from
 * `from` (the parent's), then `extra` — except any name that looks like it holds a secret.
 */
export function childEnv(extra: Record<string, string> = {}, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of CHILD_ENV_KEYS) {
    const v = from[k];
    if (v !== undefined) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (!SECRET_NAME.test(k)) env[k] = v;
  return env;
}

const tail = (s: string) => s.trim().split('\n').slice(-6).join('\n');

export async function runLocal(line: string, opts: LocalStepOptions): Promise<LocalStepResult> {
  if (opts.password !== undefined && /[\r\n\0]/.test(opts.password)) {
    // openssl reads one line from fd:3; a line break would silently truncate the password.
    throw new LocalStepError('the password contains a line break or NUL; choose another');
  }
  const argv = prepareArgv(line, opts);
  const display = displayCommand(argv);
  const [file, ...args] = argv as [string, ...string[]];
  const outputs = outputPaths(argv, opts.cwd);
  const created = await precreate(outputs, opts.overwrite ?? false);
  const usesFd3 = argv.includes('fd:3');
  if (usesFd3 && opts.password === undefined) throw new LocalStepError(`${display} reads a password from fd 3, but none was given`);
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: childEnv(opts.env),
    extendEnv: false,
    stdio: ['ignore', 'pipe', 'pipe', usesFd3 ? 'pipe' : 'ignore'],
    timeout: opts.timeoutMs ?? 120_000,
    cancelSignal: opts.signal,
    reject: false,
    stripFinalNewline: true,
  });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  if (usesFd3) {
    const fd3 = child.stdio[3] as NodeJS.WritableStream | null;
    fd3?.end(`${opts.password ?? ''}\n`);
  }
  const r = await child;
  // openssl's messages echo file names and subjects: no control character reaches a terminal.
  const redact = (s: string) => stripControls(opts.password ? s.split(opts.password).join('***') : s);
  if (r.failed) {
    await removeAll(created);
    if ((r as { code?: string }).code === 'ENOENT') {
      throw new LocalStepError(`${file} was not found on this machine (PATH)`, file === 'openssl' ? 'install OpenSSL 1.1.1 or later (e.g. apt install openssl, brew install openssl) and run the step again' : `install ${file} and run the step again`);
    }
    if (r.isCanceled) throw new LocalStepError(`${display} was stopped by the operator`, undefined);
    if (r.timedOut) throw new LocalStepError(`${display} did not finish within ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s and was stopped`);
    const why = r.exitCode !== undefined ? `exit code ${r.exitCode}` : `signal ${r.signal ?? 'unknown'}`;
    const stderr = redact(String(r.stderr));
    throw new LocalStepError(`${display} failed (${why})${stderr ? `:\n${tail(stderr)}` : ''}`, undefined, stderr);
  }
  return { argv, display, stdout: redact(String(r.stdout)), stderr: redact(String(r.stderr)), outputs: created };
}

/**
 * Opens a PKCS#12 bundle with its export password (on fd 3, never argv or the environment) and
 * returns openssl's PEM of the key and certificates it holds, in memory only. Unlike runLocal the
 * output is not redacted: a short password could occur inside the base64 and corrupt it; openssl
 * never prints the password itself. Throws LocalStepError when it does not open (wrong password,
 * damaged or not a PKCS#12 file).
 */
export async function readPkcs12(file: string, opts: { cwd: string; password: string; env?: Record<string, string>; timeoutMs?: number }): Promise<string> {
  if (/[\r\n\0]/.test(opts.password)) throw new LocalStepError('the password contains a line break or NUL; openssl would read only its first line');
  const child = execa('openssl', ['pkcs12', '-in', file, '-nodes', '-passin', 'fd:3'], {
    cwd: opts.cwd,
    env: childEnv(opts.env),
    extendEnv: false,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 60_000,
    reject: false,
    stripFinalNewline: true,
  });
  (child.stdio[3] as unknown as NodeJS.WritableStream | null)?.end(`${opts.password}\n`);
  const r = await child;
  if ((r as { code?: string }).code === 'ENOENT') throw new LocalStepError('openssl was not found on this machine (PATH)', 'install OpenSSL 1.1.1 or later');
  if (r.failed) {
    const stderr = stripControls(String(r.stderr).split(opts.password).join('***'));
    throw new LocalStepError(`${file} does not open with the export password (wrong password, or not an intact PKCS#12 file)${stderr ? `: ${tail(stderr).split('\n')[0]}` : ''}`);
  }
  return String(r.stdout);
}
