// Module-resolution tracer: registered with --import, it prints every bare specifier the
// program resolves, so a test can prove which libraries a command loads. ESM imports go through
// the resolve hook; CommonJS requires (createRequire, as src/inventory/load.ts loads `yaml`)
// through Module._load, which the resolve hook never sees. Every file loaded as an ES module is
// printed too (TRACE-LOAD), so a test can read which of the bundle's files a command loads.
// A CommonJS bundle run with its code cache (src/code-cache.ts reads it with fs.readFileSync and
// compiles it with vm) is printed as TRACE-LOAD too, when it is read.
// With COLLABSEC_TRACE_FILE set the lines go to that file instead (the TUI owns its terminal).
// Every call of the global fetch() is printed too (TRACE-FETCH and the URL's first characters):
// Node loads undici for it, which a start-up should not pay for (yoga's wasm was read with it).
import { appendFileSync } from 'node:fs';
import fs from 'node:fs';
import Module, { register, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
const out = process.env.COLLABSEC_TRACE_FILE;
const write = (line) => (out ? appendFileSync(out, line) : process.stderr.write(line));
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('file:') && !specifier.startsWith('node:') && !specifier.startsWith('data:')) {
    write('TRACE-IMPORT ' + specifier + '\\n');
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith('file:')) write('TRACE-LOAD ' + url + '\\n');
  return next(url, context);
}`));
const bare = (s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('file:') && !s.startsWith('node:') && !Module.isBuiltin(s);
const load = Module._load;
Module._load = function (request, ...rest) {
  if (bare(request)) {
    const line = `TRACE-IMPORT ${request}\n`;
    if (process.env.COLLABSEC_TRACE_FILE) appendFileSync(process.env.COLLABSEC_TRACE_FILE, line);
    else process.stderr.write(line);
  }
  return load.call(this, request, ...rest);
};
const fetchOf = globalThis.fetch;
if (typeof fetchOf === 'function') {
  globalThis.fetch = function (input, init) {
    const line = `TRACE-FETCH ${String(input instanceof Request ? input.url : input).slice(0, 60)}\n`;
    if (process.env.COLLABSEC_TRACE_FILE) appendFileSync(process.env.COLLABSEC_TRACE_FILE, line);
    else process.stderr.write(line);
    return fetchOf.call(this, input, init);
  };
}
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (typeof file === 'string' && file.endsWith('.cjs')) {
    const line = `TRACE-LOAD ${pathToFileURL(file).href}\n`;
    if (process.env.COLLABSEC_TRACE_FILE) appendFileSync(process.env.COLLABSEC_TRACE_FILE, line);
    else process.stderr.write(line);
  }
  return readFileSync.call(this, file, ...rest);
};
// ES modules that imported { readFileSync } from 'node:fs' see the wrapper too.
syncBuiltinESMExports();
