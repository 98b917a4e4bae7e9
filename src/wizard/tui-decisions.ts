// The TUI's answers to the engine's decisions. The engine asks and waits; this port turns the
// question into the screen's state (the controller renders it) and the operator's keys into the
// answer. It holds one question at a time: the engine runs one step at a time and waits for each
// answer before it goes on.
import type { PlannedStep } from '../plan/types.js';
import type { CheckpointAnswer, CheckpointQuestion, DecisionPort, DisruptiveQuestion, DoubtDecision, DoubtQuestion } from './engine/index.js';
import type { Drift } from './probes.js';

/** The question the engine waits on, with the answer that settles it. */
export type Question =
  | { kind: 'disruptive'; q: DisruptiveQuestion; answer: (confirmed: boolean) => void }
  | { kind: 'checkpoint'; q: CheckpointQuestion; answer: (a: CheckpointAnswer) => void }
  | { kind: 'doubt'; q: DoubtQuestion; answer: (d: DoubtDecision) => void }
  | { kind: 'drift'; step: PlannedStep; drift: readonly Drift[]; answer: (acceptedHow: string | undefined) => void }
  | { kind: 'password'; step: PlannedStep; answer: (secret: string | undefined) => void };

export interface TuiScreens {
  /** Show `question` (a screen of its own); the operator's keys answer it later. */
  ask(question: Question): void;
  /** First SSH contact mid-run: the host-key screen (outside the engine: the transport asks it). */
  acceptHostKey(host: string, fingerprint: string): Promise<boolean>;
}

export class TuiDecisions implements DecisionPort {
  #pending: Question | undefined;
  /** A checkpoint answer the operator gave on a screen shown before the engine asked (see given). */
  #given: CheckpointAnswer | undefined;

  constructor(private readonly screens: TuiScreens) {}

  /** The question the engine waits on, if any. */
  get pending(): Question | undefined {
    return this.#pending;
  }

  /**
   * The operator answered a checkpoint screen the controller showed by itself (an interrupted
   * step on open): the engine's next checkpoint question takes this answer instead of asking again.
   */
  given(a: CheckpointAnswer): void {
    this.#given = a;
  }

  /** Drops an answer given ahead that the engine did not ask for (its machine check decided). */
  forgetGiven(): void {
    this.#given = undefined;
  }

  /** Settles the pending question of `kind` with `value`; false when none of that kind waits. */
  answer<K extends Question['kind']>(kind: K, value: Parameters<Extract<Question, { kind: K }>['answer']>[0]): boolean {
    const p = this.#pending;
    if (p?.kind !== kind) return false;
    this.#pending = undefined;
    (p.answer as (v: typeof value) => void)(value);
    return true;
  }

  /** Esc: the pending question is answered "no / not now" (nothing is recorded or sent after it). */
  decline(): boolean {
    const p = this.#pending;
    if (p === undefined) return false;
    this.#pending = undefined;
    if (p.kind === 'disruptive') p.answer(false);
    else if (p.kind === 'checkpoint' || p.kind === 'doubt') p.answer({ kind: 'later' });
    else p.answer(undefined);
    return true;
  }

  settleDoubt(q: DoubtQuestion): Promise<DoubtDecision> {
    return new Promise((answer) => this.#ask({ kind: 'doubt', q, answer }));
  }

  confirmDisruptive(q: DisruptiveQuestion): Promise<boolean> {
    return new Promise((answer) => this.#ask({ kind: 'disruptive', q, answer }));
  }

  answerCheckpoint(q: CheckpointQuestion): Promise<CheckpointAnswer> {
    const given = this.#given;
    this.#given = undefined;
    if (given !== undefined) return Promise.resolve(given);
    return new Promise((answer) => this.#ask({ kind: 'checkpoint', q, answer }));
  }

  /** The TUI reviews a changed plan on its own screen before any step can run: never asked mid-run. */
  acceptChangedPlan(): Promise<boolean> {
    return Promise.resolve(false);
  }

  acceptHostKey(host: string, fingerprint: string): Promise<boolean> {
    return this.screens.acceptHostKey(host, fingerprint);
  }

  acceptDrift(step: PlannedStep, drift: readonly Drift[]): Promise<string | undefined> {
    return new Promise((answer) => this.#ask({ kind: 'drift', step, drift, answer }));
  }

  exportPassword(step: PlannedStep): Promise<string | undefined> {
    return new Promise((answer) => this.#ask({ kind: 'password', step, answer }));
  }

  #ask(q: Question): void {
    this.#pending = q;
    this.screens.ask(q);
  }
}
