// Which keys work in which mode: one table, used both to dispatch and to print the key help, so
// the help can never advertise a key that does nothing.
import type { WizardView } from '../wizard/types.js';
import type { KeyBinding } from './KeyHelp.js';

/** `runnable`: the step is sent over SSH (true) or run on this machine ('local', openssl with --live). */
export function keysFor(view: WizardView, runnable: boolean | 'local'): KeyBinding[] {
  const m = view.mode;
  switch (m.kind) {
    case 'review-changes':
      return [['a', 'accept new plan'], ['q', 'quit']];
    case 'browse':
      return [
        ['↑/k', 'back'],
        ['↓/j', 'next'],
        ['Enter', runnable === 'local' ? 'run on this machine' : runnable ? 'run over SSH' : 'begin (you type the commands)'],
        ['d', 'I have done this myself'],
        ['c', 'checkpoint'],
        ['s', 'skip (reason)'],
        ['n', 'note'],
        ['r', 'reopen (reason)'],
        ['b', 'backed out (reason)'],
        ['q', 'quit'],
      ];
    case 'confirm':
      return [['Enter', 'confirm'], ['Esc', 'back']];
    case 'running':
      if (view.busy && m.live) return [['Ctrl-C', 'stop waiting (the step is recorded in doubt; nothing is retried)']];
      return view.busy ? [['', 'running… wait for the result']] : [['c/Enter', 'go to the checkpoint'], ['Esc', 'back to the list'], ['q', 'quit']];
    case 'checkpoint':
      if (m.verifying) return [['', 'verifying…']];
      return [['y', 'passed'], ['n', 'failed'], ...(view.canVerify ? ([['v', 'automatic check']] as KeyBinding[]) : []), ['Esc', 'later']];
    case 'failed':
      return [['r', 'retry'], ['o', 'override (reason)'], ['s/Esc', 'stop']];
    case 'in-doubt':
      return [['c', 're-check (read-only probe)'], ...(m.verdict ? ([['a', "accept the probe's verdict"]] as KeyBinding[]) : []), ['o', 'override (reason)'], ['R', 'send again'], ['Esc', 'later']];
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
      return [['↑/↓', 'browse'], ['q', 'quit']];
    case 'drift':
      return [['a', 'go on anyway (noted on the step)'], ['Esc', 'stop (nothing is started)']];
    case 'host-key':
      return [['y', 'trust and store the key'], ['n', 'refuse (the step fails, nothing is sent)']];
    case 'quit':
      return [];
  }
}
