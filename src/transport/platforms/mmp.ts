// Cisco Meeting Server MMP. Facts cited from ../shared/spec/cli-facts.md §3.
import type { PlatformSpec } from './types.js';

export const mmp: PlatformSpec = {
  name: 'mmp',
  // §3 "prompt is `<hostname>>` (examples `cms1>`, `streamer>`)".
  prompts: [{ mode: 'mmp', pattern: /^[\w.-]+>\s*$/ }],
  privilegedModes: ['mmp'],
  paging: [],
  // §3 "lines prefixed `SUCCESS:` / `FAILURE:`".
  failureMarkers: [/^FAILURE:/m, /^ERROR:/m],
  questions: [/\((?:y\/n|yes\/no)\)\s*[?:]?\s*$/i],
  questionSettleMs: 400,
  weakQuestions: [/\?\s*$/, /:\s*$/],
  weakQuestionSettleMs: 2_000,
  init: [],
  firstPromptTimeoutMs: 30_000,
  nudgeAfterMs: 3_000,
  pasteTerminator: '',
  answerCharDelayMs: 0,
  exit: 'exit',
};
