// A device's yes/no question, as the lab's simulated CLIs ask it: the question stays on the line,
// an answer it does not take asks again [I], and a closed session (null) ends it unanswered.
import type { Term } from './term.js';

export interface YesNoOptions {
  /** What a blank answer means; absent: a blank answer asks again. */
  dflt?: boolean;
  /** `y` and `n` are taken too (IOS [yes/no]); VOS (yes|no) takes the words only [I]. */
  short?: boolean;
}

export async function askYesNo(term: Term, question: string, opts: YesNoOptions = {}): Promise<boolean | null> {
  for (;;) {
    term.write(question);
    const a = await term.readLine();
    if (a === null) return null;
    const v = a.trim().toLowerCase();
    if (v === 'yes' || (opts.short === true && v === 'y')) return true;
    if (v === 'no' || (opts.short === true && v === 'n')) return false;
    if (v === '' && opts.dflt !== undefined) return opts.dflt;
  }
}
