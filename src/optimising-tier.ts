// `collabsec plan` runs on V8's interpreter and baseline compiler (Sparkplug) only: its functions are
// never handed to the optimising compiler, TurboFan (issue 25, start-up).
//
// TurboFan pays off over seconds of hot code; a plan is over in a fraction of one. Measured on the
// bench VM, a 500-node plan had 264 functions compiled by TurboFan (js-yaml's scanner, zod's
// checks, the renderer): each compilation runs on a second thread, in memory malloc'd for it, and
// together they touched ~5,600 pages the process touched nowhere else (13,200 page faults with
// TurboFan, 7,600 without; a fault costs ~15 µs there) and took ~360 ms of CPU on a 2-core machine
// the main thread shares. Without it, the plan took 85% of its time (500 nodes) and 87% (the
// example), with identical output (test/plan/optimising-tier.test.ts).
//
// V8's --max-opt caps the tiers: 1 is Sparkplug. It is read each time V8 decides to tier a
// function up, so setting it at run time takes effect for every function after it. Like the young
// generation's hold (src/young-generation.ts) it is set once the bundle's code cache was taken:
// a flag changes the hash every code cache is checked against. Only `plan`: the wizard runs for
// hours, where optimised code is worth its compilation, and its first frame was no sooner without.
import { setFlagsFromString } from 'node:v8';

export function stayBelowOptimisingTier(): void {
  setFlagsFromString('--max-opt=1');
}
