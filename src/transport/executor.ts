// Executes one Action (one node) over its NodeSession: sends each RenderedCommand.line, answers
// ONLY the declared dialogue entries, pastes PEM files with their terminator, pages through
// output, and stops at the first command that does not end cleanly. Reports through hooks.
import type { Action, DialogueEntry, RenderedCommand, VerifyExpectation } from '../plan/types.js';
import { parsers, type ParseResult } from '../verify/parsers/index.js';
import { UnsafeLineError } from './errors.js';
import { decide, failureMarker, lineProblem, refusedBy, type Decision } from './platforms/decide.js';
import type { PlatformSpec } from './platforms/types.js';
import { declaresChain, parseNamed, pasteName, PasteFileError, readPasteFile, type PastedCert, type PasteContent } from './paste.js';
import type { NodeSession } from './session.js';
import { PENDING_KEEP } from './ssh/shell.js';

export type CommandStatus = 'ok' | 'failed' | 'timeout' | 'unexpected-question' | 'dropped';
/** ok; failed (marker or refused line); in-doubt (timeout/stop: it may have applied); needs-operator (unexpected question); interrupted (drop). */
export type ActionStatus = 'ok' | 'failed' | 'in-doubt' | 'needs-operator' | 'interrupted';

export interface CommandResult {
  line: string;
  /** Redacted output of this command, echo and prompt included. */
  output: string;
  status: CommandStatus;
  matchedFailureMarker?: string;
  /** The question the device asked that no dialogue entry declared. */
  question?: string;
  /** Declared `expect` texts that were answered, in order. */
  answered: string[];
  elapsedMs: number;
  error?: string;
  /** Nothing of this command was sent (a paste file was refused before its first line). */
  notSent?: boolean;
}

export interface ActionResult {
  target: string;
  status: ActionStatus;
  commands: CommandResult[];
  /** Outputs kept under `RenderedCommand.capture` names (e.g. a CSR). */
  captures: Record<string, string>;
}

export interface ExecuteHooks {
  /**
   * Awaited before the line is sent: the place to journal the intent (reliability.md case 4,
   * "write intent before acting"). Throwing here sends nothing.
   */
  onCommandStart?: (node: string, index: number, line: string) => void | Promise<void>;
  /** Awaited after the outcome is known (journal the outcome). */
  onCommandEnd?: (node: string, result: CommandResult) => void | Promise<void>;
  /** Called about once a second while a command runs (elapsed time for long restarts, case 14). */
  onWaiting?: (node: string, line: string, elapsedMs: number) => void;
  /**
   * Content of the file for a `paste` entry, as text or raw bytes (a DER certificate); default
   * reads `entry.paste` from disk. Required for pasteAtRuntime. The executor parses it (paste.ts):
   * only the certificate(s), re-encoded from their DER, are typed. It is called for every paste
   * of an action BEFORE the action's first line is sent; a rejection (missing file, operator
   * cancelled) or a refused file fails the action with nothing sent.
   */
  readPaste?: (entry: DialogueEntry) => Promise<string | Uint8Array>;
  /** Operator's "stop waiting": the running command ends as a timeout, the step is in doubt. */
  signal?: AbortSignal;
  /** IOS: send `write memory` after `end` (only when the step says so). */
  saveConfig?: boolean;
  /** Override the platform's per-character delay for y/n answers (tests). */
  answerCharDelayMs?: number;
}

/** The checked, re-encoded content of every paste entry of an action, by entry. */
export type PreparedPastes = Map<DialogueEntry, PasteContent>;

function pasteEntries(cmds: readonly RenderedCommand[]): DialogueEntry[] {
  return cmds.flatMap((c) => c.dialogue.filter((d) => d.answer === undefined && (d.paste !== undefined || d.pasteAtRuntime === true)));
}

/**
 * The pastes checked before an action's first line: all of them, except a run-time file that
 * follows a captured output of the same action (S034: the CSR `crypto pki enroll` prints goes to
 * the CA mid-action, so the certificate it returns is read and checked just before its own
 * command, which runCommand does).
 */
function upfrontEntries(cmds: readonly RenderedCommand[]): DialogueEntry[] {
  const out: DialogueEntry[] = [];
  let captured = false;
  for (const c of cmds) {
    for (const d of pasteEntries([c])) if (!(captured && d.pasteAtRuntime === true)) out.push(d);
    if (c.capture !== undefined) captured = true;
  }
  return out;
}

/**
 * Reads and checks every file the commands will paste (paste.ts), in order, before anything
 * is sent. Throws PasteFileError (one line, naming the file) for the first bad or missing one.
 */
async function preparePasteEntries(entries: DialogueEntry[], hooks: ExecuteHooks, into: PreparedPastes = new Map()): Promise<PreparedPastes> {
  for (const entry of entries) {
    if (into.has(entry)) continue;
    const name = pasteName(entry);
    const chain = declaresChain(entry);
    if (hooks.readPaste) {
      let raw: string | Uint8Array;
      try {
        raw = await hooks.readPaste(entry);
      } catch (e) {
        if (e instanceof PasteFileError) throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw new PasteFileError(name, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : why.split('\n')[0]!);
      }
      into.set(entry, parseNamed(name, raw, chain));
    } else if (entry.paste !== undefined) {
      into.set(entry, await readPasteFile(entry.paste, { chain }));
    } else {
      throw new PasteFileError(name, 'no file was given (a run-time paste needs the readPaste hook)');
    }
  }
  return into;
}

/**
 * Every paste of `action`, read and checked. Call it before opening the node's session to refuse
 * a bad file before connecting; pass the result to executeAction so nothing is read (or asked)
 * twice. Throws PasteFileError.
 */
export function preparePastes(action: Action, hooks: ExecuteHooks = {}): Promise<PreparedPastes> {
  return preparePasteEntries(upfrontEntries(action.exchanges), hooks);
}

const hexOnly = (s: string): string => s.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
const grouped = (hex: string): string => (hex.match(/.{1,8}/g) ?? []).join(' ');

/**
 * The fingerprints a device showed for a pasted certificate against the file's. Returns null on
 * a match, else the reason (naming both sides).
 */
export function fingerprintMismatch(spec: PlatformSpec, shownText: string, pasted: PasteContent, file: string): string | null {
  const conf = spec.pasteConfirm;
  if (!conf) return null;
  const shown = conf.fingerprints.flatMap((f) => {
    const m = f.pattern.exec(shownText);
    return m ? [{ algo: f.algo, hex: hexOnly(m[1]!) }] : [];
  });
  const theirs = shown.map((f) => `${f.algo.toUpperCase()} ${grouped(f.hex)}`).join(', ');
  const ours = (c: PastedCert): string => shown.map((f) => `${f.algo.toUpperCase()} ${grouped(c[f.algo])}`).join(', ');
  if (shown.length === 0) return `the device asked to accept the certificate without showing its fingerprint; ${file} has MD5 ${grouped(pasted.certs[0]!.md5)}, SHA1 ${grouped(pasted.certs[0]!.sha1)}`;
  // The device shows the certificate it read: it must be one of those pasted, on every algorithm shown.
  if (pasted.certs.some((c) => shown.every((f) => f.hex === c[f.algo]))) return null;
  return `fingerprint mismatch: the device shows ${theirs}, ${file} has ${pasted.certs.map(ours).join(' / ')}`;
}

/**
 * One command with its dialogue. Never throws for device behaviour: the status says it.
 * `pastes` holds the prepared files of this command's paste entries; missing ones are read and
 * checked here, before the line is sent.
 */
export async function runCommand(session: NodeSession, cmd: RenderedCommand, hooks: ExecuteHooks = {}, pastes?: PreparedPastes): Promise<CommandResult> {
  const { shell, spec } = session;
  const start = Date.now();
  const mark = shell.mark;
  const pending: (DialogueEntry | undefined)[] = [...cmd.dialogue];
  const answered: string[] = [];
  /** The last pasted certificate and the (unredacted) device text since (fingerprint check). */
  let pasted: { seen: string; content: PasteContent; name: string } | null = null;
  const take = (to: number): void => {
    const t = shell.consume(to);
    // Bounded like the shell's own buffer: the fingerprints follow the paste closely.
    if (pasted !== null) pasted.seen = (pasted.seen + t).slice(-PENDING_KEEP);
  };
  /** Set when the step already failed but the device is being left cleanly (answered `no`). */
  let failure: string | null = null;
  const result = (status: CommandStatus, extra: Partial<CommandResult> = {}): CommandResult => {
    shell.settle();
    if (status !== 'ok') shell.note(`${status}: ${extra.error ?? extra.matchedFailureMarker ?? cmd.line}`);
    return { line: cmd.line, output: shell.outputSince(mark), status, answered, elapsedMs: Date.now() - start, ...extra };
  };
  try {
    // Validate everything this command will type before typing any of it.
    const problem = lineProblem(spec, cmd.line);
    if (problem !== null) throw new UnsafeLineError(session.node, problem);
    for (const d of cmd.dialogue) {
      if (d.answer !== undefined && lineProblem(spec, d.answer) !== null) throw new UnsafeLineError(session.node, `answer to "${d.expect}": ${lineProblem(spec, d.answer)}`);
    }
    let files: PreparedPastes;
    try {
      files = await preparePasteEntries(pasteEntries([cmd]), hooks, new Map(pastes));
    } catch (e) {
      if (e instanceof PasteFileError) return { line: cmd.line, output: '', status: 'failed', answered, elapsedMs: Date.now() - start, error: `${session.node}: ${e.message}`, notSent: true };
      throw e;
    }
    for (const [entry, content] of files) {
      for (const l of content.lines) {
        const bad = lineProblem(spec, l);
        if (bad !== null) throw new UnsafeLineError(session.node, `PEM line for "${entry.label ?? entry.expect}": ${bad}`);
      }
    }
    shell.consume(shell.pending().length);
    await shell.send(cmd.line);
    let lastTick = start;
    for (;;) {
      const remaining = start + cmd.timeoutMs - Date.now();
      const r = await shell.waitFor<Decision>((text, quietMs) => {
        if (hooks.onWaiting && Date.now() - lastTick >= 1000) {
          lastTick = Date.now();
          hooks.onWaiting(session.node, cmd.line, lastTick - start);
        }
        const d = decide(spec, text, pending, quietMs);
        return d.kind === 'wait' ? null : d;
      }, Math.max(0, remaining), hooks.signal);
      if (r.kind === 'timeout') {
        // reliability.md case 12: close the channel, retry nothing; the step is in doubt.
        shell.close();
        const why = hooks.signal?.aborted === true ? 'stopped waiting by the operator' : `no prompt within ${Math.round(cmd.timeoutMs / 1000)} s`;
        return result('timeout', { error: `${session.node}: ${why} after "${cmd.line}"` });
      }
      if (r.kind === 'closed') return result('dropped', { error: `${session.node}: connection dropped during "${cmd.line}" (${r.reason})` });
      const d = r.value;
      if (d.kind === 'question') {
        // Not declared: send nothing, close the channel (which abandons the question on the
        // device without answering it) and hand it to the operator.
        shell.close();
        return result('unexpected-question', { question: d.text, error: `${session.node}: unexpected question "${d.text}" after "${cmd.line}"` });
      }
      if (d.kind === 'wait') continue;
      if (d.kind === 'paging') {
        take(d.consumeTo);
        shell.sendKeys(d.keys);
        continue;
      }
      if (d.kind === 'prompt') {
        take(d.consumeTo);
        const out = shell.outputSince(mark);
        const marker = failureMarker(spec, out);
        if (marker !== undefined) return result('failed', { matchedFailureMarker: marker, ...(failure !== null ? { error: `${session.node}: ${failure}` } : {}) });
        if (failure !== null) return result('failed', { error: `${session.node}: ${failure}` });
        const refused = refusedBy(cmd.refuseIf, out);
        if (refused !== undefined) return result('failed', { error: `${session.node}: "${refused}" after "${cmd.line}": ${cmd.refuseIf!.reason}` });
        // A declared dialogue whose first question never came: the command did not do what the
        // step expects (e.g. it printed an error the markers do not know).
        const first = cmd.dialogue[0];
        if (first !== undefined && pending[0] !== undefined) return result('failed', { error: `${session.node}: the device returned to its prompt without asking "${first.expect.trim()}" after "${cmd.line}"` });
        return result('ok');
      }
      // A declared question: first, a failure marker printed before it stops the step with the
      // question unanswered (closing the channel abandons it on the device).
      const before = shell.pending().slice(0, d.consumeTo);
      const marker = failureMarker(spec, before);
      if (marker !== undefined) {
        shell.close();
        return result('failed', { matchedFailureMarker: marker, error: `${session.node}: "${marker}" after "${cmd.line}"; the question that followed was not answered` });
      }
      take(d.consumeTo);
      const entry = pending[d.entry]!;
      pending[d.entry] = undefined;
      answered.push(entry.expect);
      const delay = hooks.answerCharDelayMs ?? spec.answerCharDelayMs;
      if (entry.answer !== undefined) {
        const conf = spec.pasteConfirm;
        const shownSincePaste = pasted !== null ? pasted.seen : '';
        const confirming = conf !== undefined && pasted !== null && (conf.question.test(entry.expect) || conf.question.test(shownSincePaste) || conf.fingerprints.some((f) => f.pattern.test(shownSincePaste)));
        if (confirming && pasted !== null) {
          const why = fingerprintMismatch(spec, shownSincePaste, pasted.content, pasted.name);
          if (why !== null) {
            if (!conf.question.test(entry.expect) && !conf.question.test(before)) {
              // Not the acceptance question: nothing is answered on a mismatch.
              shell.close();
              return result('failed', { error: `${session.node}: ${why}` });
            }
            failure = `${why}; answered "${conf.reject}"`;
            await shell.send(conf.reject, { charDelayMs: delay });
            continue;
          }
        }
        await shell.send(entry.answer, { secret: entry.secret === true, charDelayMs: delay });
      } else {
        const content = files.get(entry)!;
        // cli-facts §1.3/§6.7 (VOS) and §2.3/§2.5 (IOS): PEM line by line, then the terminator.
        for (const l of content.lines) await shell.send(l);
        await shell.send(entry.terminator ?? spec.pasteTerminator);
        pasted = { seen: '', content, name: pasteName(entry) };
      }
    }
  } catch (e) {
    if (e instanceof UnsafeLineError) return result('failed', { error: e.message });
    if (shell.closed !== null) return result('dropped', { error: `${session.node}: ${e instanceof Error ? e.message : String(e)}` });
    throw e;
  }
}

function plain(line: string, timeoutMs = 30_000): RenderedCommand {
  return { line, dialogue: [], timeoutMs };
}

export function actionStatus(results: CommandResult[]): ActionStatus {
  const last = results[results.length - 1];
  switch (last?.status) {
    case undefined:
    case 'ok':
      return 'ok';
    case 'failed':
      return 'failed';
    case 'timeout':
      return 'in-doubt';
    case 'unexpected-question':
      return 'needs-operator';
    case 'dropped':
      return 'interrupted';
  }
}

/** The result of an action refused before its first line: a paste file is bad or missing. */
export function refusedAction(action: Action, e: PasteFileError): ActionResult {
  const holder = action.exchanges.find((c) => c.dialogue.some((d) => d.answer === undefined && pasteName(d) === e.file)) ?? action.exchanges[0];
  const error = `${action.target}: ${e.message}; nothing was sent`;
  return { target: action.target, status: 'failed', commands: [{ line: holder?.line ?? '', output: '', status: 'failed', answered: [], elapsedMs: 0, error, notSent: true }], captures: {} };
}

/**
 * Run every command of `action` on its node, in order, stopping at the first non-ok one. Every
 * paste of the action is read and checked first (or taken from `prepared`): a bad or missing
 * file fails the action before its first line is sent.
 */
export async function executeAction(action: Action, session: NodeSession, hooks: ExecuteHooks = {}, prepared?: PreparedPastes): Promise<ActionResult> {
  let pastes: PreparedPastes;
  try {
    pastes = await preparePasteEntries(upfrontEntries(action.exchanges), hooks, new Map(prepared));
  } catch (e) {
    if (e instanceof PasteFileError) {
      session.shell.note(`refused: ${e.message}`);
      return refusedAction(action, e);
    }
    throw e;
  }
  const cfg = session.spec.config;
  const wrap = action.configMode === true && cfg !== undefined && action.commands[0] !== cfg.enter;
  const list: RenderedCommand[] = wrap ? [plain(cfg.enter), ...action.exchanges, plain(cfg.exit)] : [...action.exchanges];
  if (cfg !== undefined && hooks.saveConfig === true) list.push(plain(cfg.save, 120_000));
  const results: CommandResult[] = [];
  const captures: Record<string, string> = {};
  for (const [i, cmd] of list.entries()) {
    await hooks.onCommandStart?.(session.node, i, cmd.line);
    const r = await runCommand(session, cmd, hooks, pastes);
    if (r.status === 'ok' && cfg !== undefined && cmd.line === cfg.save && !cfg.saveOk.test(r.output)) {
      r.status = 'failed';
      r.error = `${session.node}: "${cfg.save}" did not print [OK]`;
    }
    results.push(r);
    await hooks.onCommandEnd?.(session.node, r);
    if (cmd.capture !== undefined) captures[cmd.capture] = r.output;
    if (r.status !== 'ok') {
      // A failed line in config mode leaves the device at a config prompt: leave it cleanly.
      if (wrap && r.status === 'failed' && cmd.line !== cfg.exit && session.shell.closed === null) await runCommand(session, plain(cfg.exit), hooks);
      break;
    }
  }
  return { target: action.target, status: actionStatus(results), commands: results, captures };
}

export interface VerifyResult extends ParseResult {
  command: string;
  output: string;
}

/** Run a read-only verification command and interpret it with the named parser. */
export async function runVerify(expectation: VerifyExpectation, session: NodeSession, timeoutMs = 60_000): Promise<VerifyResult> {
  const parse = parsers[expectation.parser];
  if (!parse) return { ok: false, details: [`unknown parser "${expectation.parser}"`], command: expectation.command, output: '' };
  const r = await runCommand(session, plain(expectation.command, timeoutMs));
  if (r.status !== 'ok' && r.status !== 'failed') return { ok: false, details: [r.error ?? r.status], command: r.line, output: r.output };
  return { ...parse(r.output, expectation.args), command: r.line, output: r.output };
}
