// The checkpoint question, and what to do when it failed: retry, override with a recorded
// reason, or stop. It owns its keys; decisions go out through callbacks (the controller records).
import { Box, useInput } from 'ink';
import { Text } from './Text.js';
import { useState } from 'react';
import type { PlannedStep } from '../plan/types.js';
import type { CheckpointVia } from '../wizard/types.js';
import { TextInput } from './TextInput.js';
import { automaticCheckLabel, hasAutomaticCheck } from '../wizard/reach.js';

export type CheckpointPromptProps = {
  step: PlannedStep;
  isActive?: boolean;
  onStop: () => void;
  /** Told when an override reason starts or stops being typed (the key help lists Enter/Esc then). */
  onTyping?: (typing: boolean) => void;
} & (
  | { state: 'ask'; via: CheckpointVia; verifying?: boolean; onAnswer: (passed: boolean) => void; /** Present when the automatic check can reach the devices (--live). */ onVerify?: () => void }
  | {
      state: 'failed';
      summary: string;
      /** A certificate check's verdict table per certificate: shown instead of the summary, one row per line. */
      table?: readonly string[];
      /** Rows the table may take; beyond them a line says how many more (the step view lists them all). */
      tableRows?: number;
      onRetry: () => void;
      onOverride: (reason: string) => void;
    }
);

const viaText: Record<CheckpointVia, string> = {
  run: '',
  self: 'You did this step yourself. ',
  recheck: 'This step was interrupted: it may or may not have run. Check it on the device before anything else. ',
};

export function CheckpointPrompt(props: CheckpointPromptProps) {
  const { step, isActive = true } = props;
  const [reasoning, setReasoningState] = useState(false);
  const setReasoning = (on: boolean): void => {
    setReasoningState(on);
    props.onTyping?.(on);
  };
  useInput(
    (input, key) => {
      if (props.state === 'ask') {
        if (props.verifying === true) return;
        if (input === 'y') props.onAnswer(true);
        else if (input === 'n') props.onAnswer(false);
        else if (input === 'v' && props.onVerify) props.onVerify();
        else if (key.escape) props.onStop();
      } else {
        if (input === 'r') props.onRetry();
        else if (input === 'o') setReasoning(true);
        else if (input === 's' || key.escape) props.onStop();
      }
    },
    { isActive: isActive && !reasoning },
  );
  if (props.state === 'ask')
    return (
      <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
        <Text bold>Checkpoint · {step.id}</Text>
        <Text>
          {viaText[props.via]}
          {step.checkpoint.question}
        </Text>
        {props.verifying === true ? (
          <Text color="cyan">Verifying automatically: {automaticCheckLabel(step)}…</Text>
        ) : (
          <>
            {hasAutomaticCheck(step) ? <Text dimColor>Check with: {automaticCheckLabel(step)}</Text> : null}
            <Text>
              Passed? <Text bold>y</Text> yes · <Text bold>n</Text> no
              {props.onVerify ? (
                <>
                  {' '}
                  · <Text bold>v</Text> run the automatic check
                </>
              ) : null}{' '}
              · <Text bold>Esc</Text> later
            </Text>
          </>
        )}
      </Box>
    );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text bold color="red">
        Checkpoint failed · {step.id}
      </Text>
      {props.table === undefined ? <Text>{props.summary}</Text> : <VerdictTable rows={props.table} max={props.tableRows ?? props.table.length} />}
      {reasoning ? (
        <TextInput
          label="Reason for the override (recorded for the change board):"
          onSubmit={(reason) => {
            if (reason.trim() === '') return;
            setReasoning(false);
            props.onOverride(reason.trim());
          }}
          onCancel={() => setReasoning(false)}
          isActive={isActive}
        />
      ) : (
        <Text>
          <Text bold>r</Text> retry the checkpoint · <Text bold>o</Text> override with a reason · <Text bold>s</Text> stop here
        </Text>
      )}
    </Box>
  );
}

/** The verdict rows, one terminal row each (cut, never wrapped), within `max` rows. */
function VerdictTable({ rows, max }: { rows: readonly string[]; max: number }) {
  const shown = rows.length > max ? rows.slice(0, Math.max(1, max - 1)) : rows;
  return (
    <Box flexDirection="column">
      {shown.map((r, i) => (
        <Text key={`${i}-${r}`} wrap="truncate-end" color={/^ {2}FAIL /.test(r) || r.includes(': NOT ') ? 'red' : /^ {2}WARN /.test(r) ? 'yellow' : undefined}>
          {r}
        </Text>
      ))}
      {shown.length < rows.length ? <Text dimColor>… {rows.length - shown.length} more row(s): s, then the step view lists every verdict</Text> : null}
    </Box>
  );
}
