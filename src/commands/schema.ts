// `collabsec schema`: the inventory's JSON Schema, generated from the same zod schema that
// validates it, so editors complete and check exactly what the wizard accepts.
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { ExitCode } from '../errors.js';
import { inventorySchema } from '../inventory/schema.js';
import type { Command } from './types.js';

export function inventoryJsonSchema(): string {
  const schema = z.toJSONSchema(inventorySchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'collabsec inventory', $id: 'https://collabsec.invalid/inventory.schema.json' }, null, 2)}\n`;
}

const usage = `Usage: collabsec schema

Print the JSON Schema of the inventory file (also committed as schema/inventory.schema.json).
Add "# yaml-language-server: $schema=<path>/inventory.schema.json" at the top of an inventory
for completion and checking in editors (collabsec init writes both: the schema beside the inventory).

Options:
  -h, --help   show this help

Examples:
  collabsec schema > inventory.schema.json`;

const command: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of the inventory',
  usage,
  run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true });
    io.stdout.write(values.help ? `${usage}\n` : inventoryJsonSchema());
    return Promise.resolve(ExitCode.ok);
  },
};

export default command;
