// Executes one Action (one node) over its NodeSession: sends each RenderedCommand.line, answers
// ONLY the declared dialogue entries, pastes PEM files with their terminator, pages through
// output, and stops at the first command that does not end cleanly. Reports through hooks.
import { promises as fs } from 'node:fs';
import type { Action, DialogueEntry, RenderedCommand, VerifyExpectation } from '../plan/types.js';
import { parsers, type ParseResult } from '../verify/parsers/index.js';
import { UnsafeLineError } from './errors.js';
import { decide, failureMarker, lineProblem, type Decision } from './platforms/decide.js';
import type { NodeSession } from './session.js';

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
  /** PEM text for a `paste` entry; default reads `entry.paste` from disk. Required for pasteAtRuntime. */
  readPaste?: (entry: DialogueEntry) => Promise<string>;
  /** Operator's "stop waiting": the running command ends as a timeout, the step is in doubt. */
  signal?: AbortSignal;
  /** IOS: send `write memory` after `end` (only when the step says so). */
  saveConfig?: boolean;
  /** Override the platform's per-character delay for y/n answers (tests). */
  answerCharDelayMs?: number;
}

async function pasteText(entry: DialogueEntry, hooks: ExecuteHooks): Promise<string> {
  if (hooks.readPaste) return hooks.readPaste(entry);
  if (entry.paste === undefined) throw new Error(`no PEM for "${entry.label ?? entry.expect}" (paste at run time needs readPaste)`);
  return fs.readFile(entry.paste, 'utf8');
}

/** One command with its dialogue. Never throws for device behaviour: the status says it. */
export async function runCommand(session: NodeSession, cmd: RenderedCommand, hooks: ExecuteHooks = {}): Promise<CommandResult> {
  const { shell, spec } = session;
  const start = Date.now();
  const mark = shell.mark;
  const pending: (DialogueEntry | undefined)[] = [...cmd.dialogue];
  const answered: string[] = [];
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
      shell.consume(d.consumeTo);
      if (d.kind === 'paging') {
        shell.sendKeys(d.keys);
        continue;
      }
      if (d.kind === 'prompt') {
        const out = shell.outputSince(mark);
        const marker = failureMarker(spec, out);
        return marker !== undefined ? result('failed', { matchedFailureMarker: marker }) : result('ok');
      }
      const entry = pending[d.entry]!;
      pending[d.entry] = undefined;
      answered.push(entry.expect);
      if (entry.answer !== undefined) {
        const delay = hooks.answerCharDelayMs ?? spec.answerCharDelayMs;
        await shell.send(entry.answer, { secret: entry.secret === true, charDelayMs: delay });
      } else {
        const pem = (await pasteText(entry, hooks)).replace(/\r\n?/g, '\n').trimEnd().split('\n');
        for (const l of pem) {
          const bad = lineProblem(spec, l);
          if (bad !== null) throw new UnsafeLineError(session.node, `PEM line for "${entry.label ?? entry.expect}": ${bad}`);
        }
        // cli-facts §1.3/§6.7 (VOS) and §2.3/§2.5 (IOS): PEM line by line, then the terminator.
        for (const l of pem) await shell.send(l);
        await shell.send(entry.terminator ?? spec.pasteTerminator);
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

/** Run every command of `action` on its node, in order, stopping at the first non-ok one. */
export async function executeAction(action: Action, session: NodeSession, hooks: ExecuteHooks = {}): Promise<ActionResult> {
  const cfg = session.spec.config;
  const wrap = action.configMode === true && cfg !== undefined && action.commands[0] !== cfg.enter;
  const list: RenderedCommand[] = wrap ? [plain(cfg.enter), ...action.exchanges, plain(cfg.exit)] : [...action.exchanges];
  if (cfg !== undefined && hooks.saveConfig === true) list.push(plain(cfg.save, 120_000));
  const results: CommandResult[] = [];
  const captures: Record<string, string> = {};
  for (const [i, cmd] of list.entries()) {
    await hooks.onCommandStart?.(session.node, i, cmd.line);
    const r = await runCommand(session, cmd, hooks);
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
