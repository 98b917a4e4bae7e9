// `collabsec init`: builds a new inventory by asking questions (inquirer, loaded with import()
// so other commands never load it). Answers are validated field by field as they are typed and
// the whole inventory once more by the same schema `plan` uses, before anything is written.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { inventorySchema } from '../inventory/schema.js';
import { SCHEMA_FILE } from '../prompts/inventory-yaml.js';
import { inventoryJsonSchema } from './schema.js';
import type { Command } from './types.js';

/** What to do with the JSON Schema beside the inventory: write it, keep an identical one, or refuse a different one. */
function schemaAction(file: string, text: string, force: boolean): 'write' | 'keep' {
  if (!existsSync(file)) return 'write';
  let old: string | undefined;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) return 'keep';
  if (force) return 'write';
  throw new UserError(`${file} already exists and is not this version's inventory schema`, 'Remove it, choose another --out folder, or pass --force to replace it.', ExitCode.usage);
}

const usage = `Usage: collabsec init [--out FILE] [--force]

Asks about your deployment (domain, enterprise CA, Unified CM and IM and Presence nodes, then
one "Is there …?" per product: Unity Connection, Expressway, IOS routers, Meeting Server,
Meeting Management, TMS, Prime Collaboration; credentials by environment variable; features)
and writes an inventory with comments, its optional settings as commented lines. Beside it
goes inventory.schema.json (what \`collabsec schema\` prints), named on the inventory's first
line so editors (yaml-language-server, VS Code) complete and check the file.
Needs a terminal. Default FILE: inventory.yaml; an existing file (or a different
inventory.schema.json) is kept unless --force.

Options:
      --out FILE   where to write the inventory (default inventory.yaml)
      --force      overwrite an existing inventory and inventory.schema.json
  -h, --help       show this help

Examples:
  collabsec init                          write inventory.yaml in this folder
  collabsec init --out site.yaml          write site.yaml (then plan it with collabsec plan)`;

const init: Command = {
  name: 'init',
  summary: 'Create an inventory by answering questions',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, options: { out: { type: 'string', default: 'inventory.yaml' }, force: { type: 'boolean', default: false } }, strict: true, allowPositionals: false }));
    } catch (e) {
      throw new UserError((e as Error).message, 'See `collabsec init --help`.', ExitCode.usage);
    }
    const out = resolve(io.cwd, values.out);
    if (existsSync(out) && !values.force) throw new UserError(`${out} already exists`, 'Choose another --out, or pass --force to replace it.', ExitCode.usage);
    const schemaOut = join(dirname(out), SCHEMA_FILE);
    const schemaText = inventoryJsonSchema();
    schemaAction(schemaOut, schemaText, values.force);
    if (io.stdin.isTTY !== true || io.stdout.isTTY !== true)
      throw new UserError('collabsec init asks questions and needs a terminal', 'Run it in a terminal, or copy examples/ent-pa.yaml and edit it.', ExitCode.stepFailed);
    const { askInventory } = await import('../prompts/init-questions.js');
    const { buildInventory, inventoryYaml } = await import('../prompts/inventory-yaml.js');
    let answers;
    try {
      answers = await askInventory({ input: io.stdin, output: io.stdout });
    } catch (e) {
      // inquirer rejects with ExitPromptError on Ctrl-C: nothing was written.
      if ((e as Error).name === 'ExitPromptError') return ExitCode.interrupted;
      throw e;
    }
    const inventory = buildInventory(answers);
    const parsed = inventorySchema.safeParse(inventory);
    if (!parsed.success)
      throw new UserError(`The answers do not form a valid inventory: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'Nothing was written.', ExitCode.invalidInput);
    // Checked again: the questions took a while and the folder may have changed meanwhile.
    if (schemaAction(schemaOut, schemaText, values.force) === 'write') {
      await writeFile(schemaOut, schemaText);
      io.stderr.write(`Wrote ${schemaOut} (the inventory's JSON Schema, for editors).\n`);
    }
    await writeFile(out, inventoryYaml(inventory), { flag: values.force ? 'w' : 'wx' });
    io.stderr.write(`Wrote ${out}. Next: collabsec plan --inventory ${values.out}, then collabsec run --inventory ${values.out}\n`);
    return ExitCode.ok;
  },
};

export default init;
