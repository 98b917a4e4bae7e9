// The wizard screen: renders the controller's view and turns keys into controller calls. No
// I/O happens here; every decision goes through the controller, which records it in the journal.
import { Box, useApp, useInput, useStdout, type Key } from 'ink';
import { Text } from './Text.js';
import { useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { WizardController } from '../wizard/controller.js';
import * as words from '../wizard/messages.js';
import type { InputPurpose } from '../wizard/types.js';
import { backoutLine, rawCommands, stepWarnings } from '../wizard/view-model.js';
import { ChangesReview } from './ChangesReview.js';
import { CheckpointPrompt } from './CheckpointPrompt.js';
import { KeyHelp, KeyOverlay } from './KeyHelp.js';
import { layout } from './layout.js';
import { PresenceLine } from './PresenceLine.js';
import { OutputPane } from './OutputPane.js';
import { ScrollBox } from './ScrollBox.js';
import { barKeys, helpAvailable, keysFor } from './keys.js';
import { StepList } from './StepList.js';
import { Header } from './Header.js';
import { StepView } from './StepView.js';
import { TextInput } from './TextInput.js';
import { TypedConfirmation } from './TypedConfirmation.js';
import { hasAutomaticCheck } from '../wizard/reach.js';
import { beginLabel, begunTodo, type TaskMode } from '../wizard/step-task.js';

export interface WizardAppProps {
  controller: WizardController;
  /** "rehearsal" or "live", shown in the header. */
  modeLabel: string;
  /** Commands go to devices: the header marks it in its own style (Header.tsx). */
  live?: boolean;
}

/** The line asking for a typed reason or note. */
const inputLabel: Record<InputPurpose, (id: string) => string> = {
  skip: (id) => `Why skip ${id}? (recorded)`,
  note: (id) => `Note for ${id}:`,
  override: (id) => `Why accept ${id} as it is? (recorded for the change board)`,
  reopen: (id) => `Why reopen ${id}? (recorded)`,
  'backed-out': (id) => `How was ${id} backed out? (recorded)`,
};

/** The mode as the step words read it: live sends to devices, local steps run here. */
const taskMode = (v: { canExecute: boolean; canRunLocal: boolean }): TaskMode => ({ live: v.canExecute, local: v.canRunLocal });

type Overlay = 'help' | 'goto' | 'search' | 'raw' | 'output';
/** Nothing but printable text reaches the go-to and search fields. */
const FIELD_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function WizardApp({ controller: c, modeLabel, live = false }: WizardAppProps) {
  const view = useSyncExternalStore(c.subscribe, c.getView);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const m = view.mode;
  const step = c.step('stepId' in m ? m.stepId : view.cursor);
  // A bug in the controller ends the app with the error (cli.ts prints it); user errors are messages.
  const act = (p: Promise<void> | void): void => {
    if (p) p.catch((e: unknown) => exit(e instanceof Error ? e : new Error(String(e))));
  };

  useEffect(() => {
    if (m.kind === 'quit') exit();
  }, [m.kind, exit]);
  const [scroll, setScroll] = useState(0);
  const [contentRows, setContentRows] = useState(0);
  useEffect(() => setScroll(0), [step.id]);
  // Screen-local state is held in refs as well as rendered: keys can arrive before React has
  // re-subscribed the handlers (":S045" typed fast, "j" right after "?"), and each key must see
  // the state the previous key left.
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  /** An override reason is being typed in the failed-checkpoint dialog. */
  const typingRef = useRef(false);
  const setTyping = (on: boolean): void => {
    typingRef.current = on;
    redraw();
  };
  useEffect(() => {
    typingRef.current = false;
  }, [m.kind]);
  /** What is over the list: the `?` help (screen-wide), or the `:` go-to / `/` search field (its text) under the step. */
  const ui = useRef<{ overlay: Overlay | undefined; field: string; back: number }>({ overlay: undefined, field: '', back: 0 });
  const setOverlay = (overlay: Overlay | undefined): void => {
    if (ui.current.overlay === 'output' && overlay !== 'output') c.hideOutput();
    ui.current = { overlay, field: '', back: 0 };
    redraw();
  };
  const overlay = ui.current.overlay;
  const asking = overlay === 'goto' || overlay === 'search';
  // The go-to and search fields take one row under the step.
  const size = layout((stdout.rows ?? 40) - (asking ? 1 : 0), view, step);
  // The output pane: all rows but its title, a note, the transcript paths and its key line.
  const outputRows = Math.max(3, (stdout.rows ?? 40) - 3 - (view.output?.note !== undefined ? 1 : 0) - Math.min(4, view.output?.files.length ?? 0));
  const keysNow = (): ReturnType<typeof keysFor> => {
    const v = c.getView();
    const at = c.step('stepId' in v.mode ? v.mode.stepId : v.cursor);
    const o = ui.current.overlay;
    return keysFor(v, { begin: beginLabel(at, taskMode(v)), live: c.liveKeys(at.id), typing: typingRef.current || o === 'goto' || o === 'search', output: c.hasOutput(at.id) });
  };
  const keys = keysNow();
  const bar = <KeyHelp keys={barKeys(keys)} />;
  /**
   * The overlay's keys: ? or Esc closes the help; the go-to / search field is edited here.
   * True when the key was taken (the screen's own keys must not act on it).
   */
  const overlayKey = (input: string, key: Key): boolean => {
    const u = ui.current;
    if (u.overlay === 'help' || u.overlay === 'raw') {
      if (key.escape || input === (u.overlay === 'help' ? '?' : 'x')) setOverlay(undefined);
      return true;
    }
    if (u.overlay === 'goto' || u.overlay === 'search') {
      const submit = (text: string): void => {
        const which = u.overlay;
        setOverlay(undefined);
        if (which === 'goto') c.goTo(text);
        else c.search(text);
      };
      if (key.return) submit(u.field);
      else if (key.escape) setOverlay(undefined);
      else if (key.backspace || key.delete) u.field = u.field.slice(0, -1);
      else if (!(key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab)) {
        // A paste arrives as one chunk, possibly ending in Enter.
        const [text = '', ...rest] = input.split('\r');
        u.field += text.replace(FIELD_CONTROL, '').slice(0, 200);
        if (rest.length > 0) submit(u.field);
      }
      redraw();
      return true;
    }
    if (u.overlay === 'output') {
      const page = Math.max(1, outputRows - 1);
      if (key.escape || input === 't') setOverlay(undefined);
      else if (key.upArrow || input === 'k') u.back += 1;
      else if (key.downArrow || input === 'j') u.back = Math.max(0, u.back - 1);
      else if (key.pageUp) u.back += page;
      else if (key.pageDown) u.back = Math.max(0, u.back - page);
      else if (key.home) u.back = Number.MAX_SAFE_INTEGER;
      else if (key.end) u.back = 0;
      // Scrolled past the top: held at the first line, so the next key down moves at once.
      const total = c.getView().output?.lines.length ?? 0;
      u.back = Math.min(u.back, Math.max(0, total - outputRows));
      redraw();
      return true;
    }
    if (input === '?' && helpAvailable(keysNow())) {
      setOverlay('help');
      return true;
    }
    // t: the step's device output, where the key help lists it (never while text is typed).
    if (input === 't' && keysNow().some((k) => k[0] === 't')) {
      const v = c.getView();
      setOverlay('output');
      act(c.showOutput('stepId' in v.mode ? v.mode.stepId : v.cursor));
      return true;
    }
    return false;
  };
  // Scrolling the step works in every mode: a confirmation may need the commands it confirms.
  useInput((_input, key) => {
    if (key.pageDown) setScroll((x) => Math.min(x + Math.max(1, size.view - 2), Math.max(0, contentRows - size.view + 1)));
    else if (key.pageUp) setScroll((x) => Math.max(0, x - Math.max(1, size.view - 2)));
  });

  // Ctrl-C: stop waiting for a live command in flight, else leave the app (as ink's default would).
  useInput((input, key) => {
    if (!(key.ctrl && input === 'c')) return;
    if (!c.stopWaiting()) exit();
  });

  useInput((input, key) => {
    if (key.ctrl || overlayKey(input, key)) return;
    // The controller's state now, not the last render's: a key may arrive before the redraw.
    const now = c.getView();
    const m = now.mode;
    if (m.kind === 'review-changes') {
        if (input === 'a') act(c.acceptChanges());
        else if (input === 'q') c.quit();
      } else if (m.kind === 'browse' || m.kind === 'finished') {
        // Held keys arrive as one chunk ("jjj"): each repetition is a step.
        if (key.upArrow || /^k+$/.test(input)) c.move(key.upArrow ? -1 : -input.length);
        else if (key.downArrow || /^j+$/.test(input)) c.move(key.downArrow ? 1 : input.length);
        else if (key.home) c.move(-now.plan.steps.length);
        else if (key.end) c.move(now.plan.steps.length);
        else if (input === ':') setOverlay('goto');
        else if (input === '/') setOverlay('search');
        else if (input === 'z') c.toggleCollapse();
        else if (input === 'x' && c.liveKeys().onStep) setOverlay('raw');
        else if (input === 'q') c.quit();
        else if (m.kind === 'finished') return;
        else if (key.return) act(c.start());
        else if (input === 'd') act(c.doneMyself());
        else if (input === 'c') act(c.checkpoint());
        else if (input === 's') c.requestInput('skip');
        else if (input === 'n') c.requestInput('note');
        else if (input === 'r') c.requestInput('reopen');
        else if (input === 'b') c.requestInput('backed-out');
      } else if (m.kind === 'in-doubt' && !now.busy) {
        if (input === 'c') act(c.settleDoubt({ kind: 'recheck' }));
        else if (input === 'a') act(c.settleDoubt({ kind: 'accept' }));
        else if (input === 'o') c.requestOverride();
        else if (input === 'R') act(c.settleDoubt({ kind: 'resend', by: words.resendInWizard }));
        else if (key.escape) c.back();
      } else if (m.kind === 'checkpoint' && !now.busy && !m.verifying) {
        // The checkpoint's keys, here with the screen's others: read against the controller's
        // state at the key, so one typed right after the `?` help closes is not lost.
        if (input === 'y') act(c.answer(true));
        else if (input === 'n') act(c.answer(false));
        else if (input === 'v' && now.canVerify && hasAutomaticCheck(c.step(m.stepId))) act(c.checkpoint());
        else if (key.escape) c.back();
      } else if (m.kind === 'failed' && !now.busy && !typingRef.current) {
        if (input === 'r') act(c.retry());
        else if (input === 'o') setTyping(true);
        else if (input === 'b' && c.liveKeys(m.stepId).backOut) c.backOutFailed();
        else if (input === 's' || key.escape) c.back();
      } else if (m.kind === 'host-key') {
        if (input === 'y') c.answerHostKey(true);
        else if (input === 'n') c.answerHostKey(false);
      } else if (m.kind === 'drift') {
        if (input === 'a') act(c.acceptDrift());
        else if (key.escape) c.back();
      } else if (m.kind === 'running' && !now.busy) {
        if (input === 'c' || key.return) act(c.checkpoint());
        else if (key.escape) c.back();
        else if (input === 'q') c.quit();
      }
  });

  const record = view.state.steps[step.id];
  const header = <Header title={view.plan.title} session={view.sessionName} modeLabel={modeLabel} live={live} />;
  if (overlay === 'help')
    return (
      <Box flexDirection="column">
        {header}
        <KeyOverlay title={`${step.id} · ${m.kind === 'browse' ? 'step list' : m.kind}`} keys={keys} height={size.overlay} />
        {view.message ? <Text color={view.message.level === 'error' ? 'red' : view.message.level === 'warn' ? 'yellow' : 'green'}>{view.message.text}</Text> : null}
        {bar}
      </Box>
    );
  if (overlay === 'output') return <OutputPane stepId={view.output?.stepId ?? ('stepId' in m ? m.stepId : view.cursor)} output={view.output} height={outputRows} back={ui.current.back} />;
  if (overlay === 'raw') {
    // Nothing but the lines: no box, no indent, no colour, no wrapping (a long line runs on, as
    // the terminal shows it), so a mouse selection copies exactly what is typed on the node.
    const blocks = rawCommands(step);
    return (
      <Box flexDirection="column">
        <Text dimColor>
          Raw commands of {step.id} · x or Esc closes
        </Text>
        {blocks.length === 0 ? <Text>{step.id} types no commands (see its GUI path or instructions).</Text> : null}
        {blocks.map((b, i) => (
          <Box key={`${b.target}-${i}`} flexDirection="column" marginTop={1}>
            {blocks.length > 1 ? <Text dimColor>on {b.target}:</Text> : null}
            {b.lines.map((l, j) => (
              <Text key={j} wrap="end">
                {l}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    );
  }
  if (m.kind === 'review-changes')
    return (
      <Box flexDirection="column">
        {header}
        <ChangesReview diff={m.diff} maxRows={size.review} />
        {view.message ? <Text color="red">{view.message.text}</Text> : null}
        {bar}
      </Box>
    );
  return (
    <Box flexDirection="column">
      {header}
      <PresenceLine presence={view.presence} />
      {/* The confirmation holds the frame on its own: it names the step, its warnings, nodes and lines; so does a failed certificate check's verdict table. */}
      {m.kind === 'confirm' || (m.kind === 'failed' && m.table !== undefined) ? null : (
        <>
          <StepList plan={view.plan} state={view.state} progress={view.progress} cursor={step.id} flagged={view.flagged} collapsed={view.collapsed} claimed={view.presence?.claimed} height={size.list} />
          <Box borderStyle="single" flexDirection="column" paddingX={1}>
            <ScrollBox height={size.view} offset={scroll} onMeasure={setContentRows}>
              <StepView step={step} status={c.status(step.id)} record={record} missing={c.missing(step.id)} flagged={view.flagged.includes(step.id)} mode={taskMode(view)} />
            </ScrollBox>
          </Box>
        </>
      )}
      {m.kind === 'confirm' ? (
        <TypedConfirmation title={`${step.id} ${step.title}`} warnings={stepWarnings(step)} maxWarnings={size.confirmWarnings} expected={m.expected} blocks={rawCommands(step)} onConfirm={(t) => act(c.confirm(t))} onCancel={() => c.back()} />
      ) : null}
      {m.kind === 'running' ? (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>{step.id} started (recorded in the session)</Text>
          {m.live ? m.lines.map((l) => <Text key={l}>{l}</Text>) : <Text>{begunTodo(step, taskMode(view))}</Text>}
        </Box>
      ) : null}
      {m.kind === 'checkpoint' ? (
        <CheckpointPrompt state="ask" step={step} via={m.via} verifying={m.verifying} canVerify={view.canVerify && hasAutomaticCheck(step)} interruption={m.via === 'recheck' ? c.interruption(step.id) : undefined} />
      ) : null}
      {m.kind === 'failed' ? (
        <CheckpointPrompt
          state="failed"
          step={step}
          summary={m.summary}
          backout={c.liveKeys(m.stepId).backOut ? backoutLine(step) : undefined}
          table={m.table}
          tableRows={size.failedTable}
          reasoning={() => typingRef.current}
          // An empty reason: the controller says one is required, and the field stays.
          onOverride={(r) => act(c.override(r.trim()))}
          onCancelReason={() => setTyping(false)}
        />
      ) : null}
      {m.kind === 'certificate' ? (
        <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
          <Text bold>
            Certificate check · {step.id} · {m.target} ({m.position})
          </Text>
          <Text dimColor wrap="truncate-middle">
            Relative paths from {m.folder}
          </Text>
          {m.checking ? (
            <Text color="cyan">Checking the certificate…</Text>
          ) : (
            <TextInput
              key={`${m.target}-${m.position}-${m.field}`}
              label={m.field === 'file' ? 'File the CA returned:' : m.field === 'csr' ? (m.csr === undefined ? 'CSR it answers (Enter: none):' : m.csr === 'ask' ? 'CSR it answers (required):' : `CSR it answers (Enter: ${m.csr}):`) : 'Chain files, space-separated (Enter: none):'}
              initial={m.value}
              onTab={(t) => c.completeCertificatePath(t)}
              onSubmit={(t) => act(c.answerCertificate(t))}
              onCancel={() => c.back()}
              isActive={!view.busy}
            />
          )}
        </Box>
      ) : null}
      {m.kind === 'runtime-file' ? (
        <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
          <Text bold>
            File to paste · {step.id} · {m.node} ({m.position})
          </Text>
          <Text>{m.label}</Text>
          <Text dimColor>Checked before anything is sent; only the certificate it holds is typed.</Text>
          {m.midStep ? <Text dimColor>It answers the CSR this step prints: it may not exist yet (read just before its command).</Text> : null}
          {m.checking ? (
            <Text color="cyan">Checking the file…</Text>
          ) : (
            <TextInput key={`${m.node}-${m.position}`} label={`File for ${m.node}:`} onSubmit={(t) => act(c.answerRuntimeFile(t))} onCancel={() => c.back()} isActive={!view.busy} />
          )}
        </Box>
      ) : null}
      {m.kind === 'secret' ? <TextInput label={m.prompt} mask onSubmit={(t) => act(c.submitSecret(t))} onCancel={() => c.back()} /> : null}
      {m.kind === 'in-doubt' ? (
        <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
          <Text bold color="yellow">
            In doubt · {step.id}
          </Text>
          <Text>{m.summary}</Text>
          <Text>
            <Text bold>c</Text> re-check (read-only probe){m.verdict ? (
              <>
                {' '}
                · <Text bold>a</Text> accept the probe&apos;s verdict
              </>
            ) : null}{' '}
            · <Text bold>o</Text> override with a reason · <Text bold>R</Text> send it again · <Text bold>Esc</Text> later
          </Text>
        </Box>
      ) : null}
      {m.kind === 'input' ? <TextInput label={inputLabel[m.purpose](step.id)} onSubmit={(t) => act(c.submitInput(t))} onCancel={() => c.back()} /> : null}
      {m.kind === 'drift' ? (
        <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
          <Text bold>{step.id} builds on steps that no longer pass their checks</Text>
          {m.lines.map((l) => (
            <Text key={l}>{l}</Text>
          ))}
          <Text>Nothing of {step.id} has been recorded or sent.</Text>
        </Box>
      ) : null}
      {m.kind === 'host-key' ? (
        <Box flexDirection="column" borderStyle="double" borderColor="yellow" paddingX={1}>
          <Text bold>First SSH contact with {m.host}</Text>
          <Text>Its host key fingerprint is {m.fingerprint}. Compare it with the node&apos;s own (out of band) before trusting it.</Text>
          <Text>Nothing has been sent: no authentication happens until you accept.</Text>
        </Box>
      ) : null}
      {m.kind === 'finished' && overlay === undefined ? <Text color="green">Every step is verified, overridden or skipped.</Text> : null}
      {asking ? (
        <Text>
          {overlay === 'goto' ? 'Go to step:' : 'Search (id, title, node; Enter alone: next match):'} <Text color="cyan">{ui.current.field}</Text>
          <Text inverse> </Text>
        </Text>
      ) : null}
      {view.message ? <Text color={view.message.level === 'error' ? 'red' : view.message.level === 'warn' ? 'yellow' : 'green'}>{view.message.text}</Text> : null}
      {bar}
    </Box>
  );
}
