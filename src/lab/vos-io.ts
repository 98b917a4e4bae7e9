// Shared pieces of the VOS simulator: the session, the failure marker, paging and y/n questions.
import type { Term } from './term.js';
import type { VosNodeState } from './vos-state.js';

/** cli-facts §1.1: the generic VOS failure marker. */
export const FAILED = 'Executed command unsuccessfully';

/** cli-facts §1.2: paging prompt 1, wrapped in ANSI bold. */
export const PAGE_PROMPT = 'Press <enter> for 1 line, <space> for one page, or <q> to quit';

export interface VosSession {
  node: VosNodeState;
  term: Term;
  /** Per session, on by default (cli-facts §1.2: "Disable for the current session"). */
  pagination: boolean;
}

export type VosHandler = (s: VosSession, m: RegExpExecArray) => Promise<void> | void;
export type VosCommand = [RegExp, VosHandler];

/** Writes output lines, pausing with the paging prompt every rows-1 lines when pagination is on. */
export async function page(s: VosSession, lines: string[]): Promise<void> {
  const { term } = s;
  if (!s.pagination) return term.writeLines(lines);
  const size = Math.max(1, term.rows - 1);
  let budget = size;
  for (const line of lines) {
    if (budget === 0) {
      term.write(`\x1b[1m${PAGE_PROMPT}\x1b[0m`); // cli-facts §1.2 (ANSI bold)
      const key = await term.readKey();
      term.write('\r\x1b[K'); // [I] the prompt line is erased before the next line
      // cli-facts §1.2: <enter> one line, <space> one page, <q> quit.
      if (key === null || key === 'q' || key === 'Q' || key === '\x03') return;
      budget = key === ' ' ? size : 1;
    }
    term.write(`${line}\n`);
    budget--;
  }
}

/** Asks a (y/n) question until the answer is y or n (cli-facts §1.4); null (Ctrl-C) counts as n. */
export async function confirmYN(term: Term, question: string): Promise<boolean> {
  for (;;) {
    term.write(question);
    const a = await term.readLine();
    if (a === null) return false;
    const v = a.trim();
    if (v === 'y' || v === 'Y') return true;
    if (v === 'n' || v === 'N') return false;
  }
}
