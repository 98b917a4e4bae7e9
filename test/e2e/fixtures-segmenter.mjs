// Preload (--import) for test/e2e/bundle.test.ts: every Intl.Segmenter created, and every RegExp
// built from a \p{RGI_Emoji} pattern, is written to COLLABSEC_TRACE_FILE (TRACE-SEGMENTER,
// TRACE-RGI-EMOJI) with the stack's first frames, so the test can prove the wizard drew its first
// frame without either (issue 25: the first Segmenter of a process loads ICU's break data, the
// RGI emoji regex is costly to create; scripts/bundle-plugins.ts makes both lazy). The bundle
// creates its regexes with `new RegExp(...)` (esbuild lowers the v flag's literals), which the
// proxy sees; it is a test fixture only, and forwards every call unchanged.
import { appendFileSync } from 'node:fs';

const out = process.env.COLLABSEC_TRACE_FILE;
const write = (line) => (out ? appendFileSync(out, line) : process.stderr.write(line));
write('TRACE-PRELOAD\n'); // so a test knows the preload ran
const where = () => (new Error().stack ?? '').split('\n').slice(2, 5).map((l) => l.trim()).join(' | ');

Intl.Segmenter = new Proxy(Intl.Segmenter, {
  construct(target, args, newTarget) {
    write(`TRACE-SEGMENTER ${where()}\n`);
    return Reflect.construct(target, args, newTarget);
  },
});
globalThis.RegExp = new Proxy(RegExp, {
  construct(target, args, newTarget) {
    const source = args[0] instanceof target ? args[0].source : String(args[0]);
    if (source.includes('RGI_Emoji')) write(`TRACE-RGI-EMOJI ${where()}\n`);
    return Reflect.construct(target, args, newTarget);
  },
});
