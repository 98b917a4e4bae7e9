// Module-resolution tracer: registered with --import, it prints every bare specifier the
// program resolves, so a test can prove which libraries a command loads. ESM imports go through
// the resolve hook; CommonJS requires (createRequire, as src/inventory/load.ts loads `yaml`)
// through Module._load, which the resolve hook never sees. Every file loaded as an ES module is
// printed too (TRACE-LOAD), so a test can read which of the bundle's files a command loads.
import Module, { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('file:') && !specifier.startsWith('node:') && !specifier.startsWith('data:')) {
    process.stderr.write('TRACE-IMPORT ' + specifier + '\\n');
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('TRACE-LOAD ' + url + '\\n');
  return next(url, context);
}`));
const bare = (s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('file:') && !s.startsWith('node:') && !Module.isBuiltin(s);
const load = Module._load;
Module._load = function (request, ...rest) {
  if (bare(request)) process.stderr.write(`TRACE-IMPORT ${request}\n`);
  return load.call(this, request, ...rest);
};
