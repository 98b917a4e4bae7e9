// Module-resolution tracer: registered with --import, it prints every bare specifier the
// program resolves, so a test can prove which libraries a command loads.
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('file:') && !specifier.startsWith('node:') && !specifier.startsWith('data:')) {
    process.stderr.write('TRACE-IMPORT ' + specifier + '\\n');
  }
  return next(specifier, context);
}`));
