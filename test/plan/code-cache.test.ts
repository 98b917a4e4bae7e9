// The CommonJS bundle loader with V8's code cache (src/code-cache.ts) and the `plan` bundle
// `npm run build` writes with it (scripts/bundle.ts). Each load runs in a fresh `node`: V8 takes a
// cache only from the same version and flags, which a child with the suite's environment has,
// and a cache the process itself made would prove nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WRAPPER_HEAD, WRAPPER_TAIL } from '../../src/code-cache.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const loader = join(root, 'dist', 'src', 'code-cache.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Loads `bundle` in a child node; prints what the loader reports and what the bundle exported. */
function load(bundle: string, extra = ''): { status: number | null; out: { rejected: boolean | null; exports: unknown }; stderr: string } {
  const code = `const { loadBundle, saveCodeCache } = await import(${JSON.stringify(loader)});
const r = loadBundle(${JSON.stringify(bundle)});
${extra}
process.stdout.write(JSON.stringify({ rejected: r.cacheRejected ?? null, exports: r.exports }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: r.status === 0 ? JSON.parse(r.stdout) : { rejected: null, exports: null }, stderr: r.stderr };
}

describe('loadBundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'collabsec-code-cache-'));
  dirs.push(dir);
  const bundle = join(dir, 'b.cjs');
  // The module scope Node gives a CommonJS file: exports, require, module, __filename, __dirname.
  // Written as the build writes a bundle: inside the wrapper, which loadBundle no longer adds. It
  // ends in a line comment, which the wrapper's tail (on a line of its own) must not fall into.
  const code = `const { basename } = require('node:path');
exports.file = basename(__filename);
exports.dir = __dirname;
exports.sum = [1, 2, 3].reduce((a, b) => a + b, 0);
module.exports.self = this === module.exports;
// the end`;
  writeFileSync(bundle, `${WRAPPER_HEAD}${code}${WRAPPER_TAIL}`);
  const expected = { file: 'b.cjs', dir, sum: 6, self: true };

  it('runs a CommonJS file with its module scope, and says no cache was there', () => {
    const r = load(bundle);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toEqual({ rejected: null, exports: expected });
  });

  it('takes a cache made by an earlier run, and refuses a damaged or stale one but still runs the source', () => {
    const made = load(bundle, `saveCodeCache(${JSON.stringify(bundle)}, r);`);
    expect(made.status, made.stderr).toBe(0);
    expect(readFileSync(`${bundle}.v8-cache`).length).toBeGreaterThan(0);
    expect(load(bundle).out).toEqual({ rejected: false, exports: expected });

    const cache = readFileSync(`${bundle}.v8-cache`);
    for (let i = 16; i < cache.length; i += 7) cache[i] = cache[i]! ^ 0xff;
    writeFileSync(`${bundle}.v8-cache`, cache);
    expect(load(bundle).out).toEqual({ rejected: true, exports: expected });

    // One bit of V8's data flipped, the rest of the file whole: V8 checks its own checksum (Node 20's
    // V8 took such data and crashed without --verify-snapshot-checksum).
    load(bundle, `saveCodeCache(${JSON.stringify(bundle)}, r);`);
    const whole = readFileSync(`${bundle}.v8-cache`);
    const dataStart = whole.indexOf('\n') + 1 + 8;
    const dataLength = whole.readUInt32LE(dataStart - 8);
    for (const at of [dataStart + 40, dataStart + Math.floor(dataLength / 2), dataStart + dataLength - 1]) {
      const flipped = Buffer.from(whole);
      flipped[at] = flipped[at]! ^ 0x01;
      writeFileSync(`${bundle}.v8-cache`, flipped);
      const r = load(bundle);
      expect(r.status, r.stderr).toBe(0);
      expect(r.out).toEqual({ rejected: true, exports: expected });
    }

    // A cache of another source (an edited bundle beside an old cache) is refused too, even one of
    // the same length, which V8 alone would take (it knows a source only by its length).
    writeFileSync(bundle, `${WRAPPER_HEAD}${code}\nexports.extra = 1;${WRAPPER_TAIL}`);
    load(bundle, `saveCodeCache(${JSON.stringify(bundle)}, r);`);
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('exports.extra = 1;', 'exports.extra = 2;'));
    expect(load(bundle).out).toEqual({ rejected: true, exports: { ...expected, extra: 2 } });
  });

  it('refuses a file the build did not wrap, rather than run its code outside a module scope', () => {
    const bare = join(dir, 'bare.cjs');
    writeFileSync(bare, code);
    const r = load(bare);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${bare} does not start with the CommonJS wrapper the build writes`);
  });
});

describe('the plan bundle of the build', () => {
  it('has a code cache plain node takes, and prints the plan the unbundled program prints', () => {
    const bundle = join(root, 'dist', 'bin', 'plan.cjs');
    const r = load(bundle);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out.rejected).toBe(false);
    // Written wrapped, so the file's own string is what V8 compiles (src/code-cache.ts).
    const file = readFileSync(bundle, 'utf8');
    expect(file.startsWith(WRAPPER_HEAD)).toBe(true);
    expect(file.trimEnd().endsWith(WRAPPER_TAIL)).toBe(true);

    const args = ['plan', '--inventory', 'examples/ent-pa.yaml'];
    const bundled = spawnSync(process.execPath, ['dist/bin/cli.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const plain = spawnSync(process.execPath, ['dist/src/cli.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toBe(plain.stdout);
  });
});
