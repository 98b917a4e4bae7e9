// The young generation of a short command, held at the size it starts with (issue 25, start-up).
// A command that builds a plan allocates megabytes that mostly die young, while what it keeps (the
// inventory, the catalogue, the plan) survives its first scavenges; V8 reads that survival as a
// reason to double the young generation, up to two 16 MB semi-spaces. Each page of memory a process
// touches for the first time costs a page fault, and on a virtual machine a fault costs ~15 µs
// (measured on the bench VM: 100 MB touched once, 383 ms; touched again, 6 ms): the grown young
// generation was ~5,000 of the ~17,000 faults of a 500-node `plan`, and ~2,600 of the ~12,000 the
// wizard took to its first frame (then 16 MB of young generation, now 2). Held, the garbage
// reuses the same pages and survivors are promoted after two scavenges as before: the same GC work
// in more, smaller scavenges, over a fraction of the memory (test/plan/young-generation.test.ts).
//
// The knob is V8's --semi-space-growth-factor, read each time the young generation would grow
// (factor 1: it does not). Setting a V8 flag changes V8's flag hash, which every code cache is
// checked against: collabsec's own bundle cache (src/code-cache.ts) and Node's caches of its
// built-in modules. So it is set once the bundle's cache was taken, before its modules run; a
// built-in module first loaded after that is compiled without its cache, slower, never wrong.
// `plan` loads one more (util's parseArgs); the wizard's first frame a few (ink requires
// child_process, signal-exit assert): measured, it still drew its first frame sooner held.
import { setFlagsFromString } from 'node:v8';

export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
