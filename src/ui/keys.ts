// Which keys work in which mode: one table, used both to print the key bar and the `?` help, so
// neither can advertise a key that does nothing: the step keys are listed only when they act on
// the step under the cursor (StepKeys, from the controller's own rules).
import type { StepKeys } from '../wizard/controller.js';
import type { WizardView } from '../wizard/types.js';
import type { KeyBinding } from './KeyHelp.js';

export interface KeyContext {
  /** What Enter does on the step under the cursor, in the mode's words (step-task.ts beginLabel). */
  begin: string;
  /** The step keys that act on the step under the cursor now. */
  live: StepKeys;
  /** A reason is being typed inside a dialog (the failed checkpoint's override): only Enter/Esc act. */
  typing?: boolean;
  /** The step has device output or a transcript to show (t opens the pane). */
  output?: boolean;
}

/** t: the device-output pane, listed only where the step has output or a transcript. */
const OUTPUT_KEY: KeyBinding = ['t', 'device output'];

const HELP: KeyBinding = ['?', 'help'];
/** Listed in the `?` help only: the key bar keeps to what a step needs. */
const help = (key: string, label: string): KeyBinding => [key, label, true];

export function keysFor(view: WizardView, { begin, live, typing = false, output = false }: KeyContext): KeyBinding[] {
  const m = view.mode;
  if (typing && (m.kind === 'browse' || m.kind === 'finished')) return [['Enter', 'go'], ['Esc', 'cancel']];
  const when = (on: boolean, ...k: KeyBinding[]): KeyBinding[] => (on ? k : []);
  const out = when(output, OUTPUT_KEY);
  switch (m.kind) {
    case 'review-changes':
      return [['a', 'accept new plan'], ['q', 'quit'], HELP];
    case 'browse':
      return [
        ['↑/↓', 'move'],
        ...when(live.begin, ['Enter', begin]),
        ...when(live.doneMyself, ['d', 'I have done this myself']),
        ...when(live.check, ['c', 'checkpoint']),
        ...when(live.skip, ['s', 'skip']),
        ...when(live.onStep, ['n', 'note']),
        ...when(live.reopen, ['r', 'reopen']),
        ...when(live.backOut, ['b', 'backed out']),
        ...when(live.onStep, ['x', 'raw commands']),
        ...out,
        help('k/j', 'previous/next step'),
        help('Home/End', 'first/last step'),
        help(':', 'go to a step (:S045)'),
        help('/', 'search: id, title, node'),
        help('z', 'collapse/expand product'),
        help('PgUp/PgDn', 'scroll the step'),
        ['q', 'quit'],
        HELP,
      ];
    case 'confirm':
      return [['Enter', 'confirm'], ['Esc', 'back']];
    case 'running':
      if (view.busy && m.live) return [['Ctrl-C', 'stop waiting (the step is recorded in doubt; nothing is retried)'], ...out];
      return view.busy ? [['', 'running… wait for the result']] : [['c/Enter', 'go to the checkpoint'], ['Esc', 'back to the list'], ...out, ['q', 'quit'], HELP];
    case 'checkpoint':
      if (m.verifying) return [['', 'verifying…']];
      return [['y', 'passed'], ['n', 'failed'], ...when(live.autoCheck, ['v', 'automatic check']), ...out, ['Esc', 'later'], HELP];
    case 'failed':
      if (typing) return [['Enter', 'record the override'], ['Esc', 'cancel']];
      return [['r', 'retry'], ['o', 'override (reason)'], ...when(live.backOut, ['b', 'backed out (reason)']), ['s/Esc', 'stop'], ...out, HELP];
    case 'in-doubt':
      return [['c', 're-check (read-only probe)'], ...when(m.verdict, ['a', "accept the probe's verdict"]), ['o', 'override (reason)'], ['R', 'send again'], ...out, ['Esc', 'later'], HELP];
    case 'input':
      return [['Enter', 'save'], ['Esc', 'cancel']];
    case 'certificate':
      if (m.checking) return [['', 'checking the certificate…']];
      return [['Enter', m.field === 'file' ? 'next' : 'next (empty: none)'], ['Esc', 'later']];
    case 'runtime-file':
      if (m.checking) return [['', 'checking the file…']];
      return [['Enter', 'check the file'], ['Esc', 'back (nothing is sent)']];
    case 'secret':
      return [['Enter', 'run the step'], ['Esc', 'back']];
    case 'finished':
      return [['↑/↓', 'browse'], ['x', 'raw commands'], ...out, help(':', 'go to a step (:S045)'), help('/', 'search: id, title, node'), help('z', 'collapse/expand product'), ['q', 'quit'], HELP];
    case 'drift':
      return [['a', 'go on anyway (noted on the step)'], ['Esc', 'stop (nothing is started)'], HELP];
    case 'host-key':
      return [['y', 'trust and store the key'], ['n', 'refuse (the step fails, nothing is sent)'], HELP];
    case 'quit':
      return [];
  }
}

/** The key bar: the keys of the screen without those listed in the `?` help only. */
export const barKeys = (keys: readonly KeyBinding[]): KeyBinding[] => keys.filter((k) => k[2] !== true);

/** True when `?` opens the help here: screens of single keys, not while text is typed. */
export const helpAvailable = (keys: readonly KeyBinding[]): boolean => keys.some((k) => k[0] === '?');
