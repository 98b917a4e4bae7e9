// The only entry into ink: commands load this module with import(), so `plan` and the plain mode
// never load ink or react. Resolves when the operator quits; rejects when the app ended on a bug.
import { render } from 'ink';
import type { Readable, Writable } from 'node:stream';
import type { WizardController } from '../wizard/controller.js';
import { WizardApp } from './App.js';
import { inkColourOff } from './ink-colour.js';

export interface RenderIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export async function renderWizard(controller: WizardController, io: RenderIo, mode: { label: string; live: boolean; colour: boolean }): Promise<void> {
  // NO_COLOR (or TERM=dumb) holds in the TUI as in every other command.
  if (!mode.colour) await inkColourOff();
  const app = render(<WizardApp controller={controller} modeLabel={mode.label} live={mode.live} />, {
    stdin: io.stdin as NodeJS.ReadStream,
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    // Ctrl-C is the app's: during a live command it means "stop waiting" (the step is recorded
    // in doubt); otherwise it unmounts, the command releases the session lock, and a started
    // step stays "started" in the journal, so the next run shows it as interrupted.
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await app.waitUntilExit();
}
