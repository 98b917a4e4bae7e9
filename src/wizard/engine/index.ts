// The step engine shared by the TUI and plain mode (issue 20): see engine.ts.
export { StepEngine, type RunHow, type StepEnd } from './engine.js';
export { beginStep } from './begin.js';
export type { CheckpointAnswer, CheckpointQuestion, DecisionPort, DisruptiveQuestion, DoubtDecision, DoubtQuestion } from './decisions.js';
export type { EngineEvent } from './events.js';
export type { EngineOptions, EnginePorts } from './options.js';
export type { SendFailure } from './send.js';
