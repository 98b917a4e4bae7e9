// Device passwords asked at the terminal before the wizard mounts (inquirer cannot share the
// terminal with a mounted ink app). The answer is masked while typed and only ever returned to
// the caller: never written to disk, a transcript or the session file.
import { password } from '@inquirer/prompts';
import type { PromptContext } from './init-questions.js';

export async function askSecret(ctx: PromptContext, message: string, allowEmpty = false): Promise<string> {
  return password({ message, mask: '*', validate: (v) => (v === '' && !allowEmpty ? 'An empty value cannot be right: type it, or press Ctrl-C to stop.' : true) }, ctx);
}
