// Every schema collabsec builds (inventory, catalogue, session state and lock, certificate roles,
// init's prompts) is a zod/mini schema, not one of zod's classic API (issue 25, start-up). Every
// command that reads an inventory builds ~500 schema objects first, and classic's are the heavier
// kind: ~245 more page faults and ~4.5 ms of each start on the bench VM; loading classic at all
// cost ~150 more. zod/mini builds the same core schemas (`zod/v4/core`: the same parsing, issues,
// messages and JSON Schema), with functions instead of methods. Two things classic does on its own
// are done here, once, so that results are the same: English messages (classic installs the `en`
// locale at its first schema) and the memoizer that gives containers cycle support. `describe` and
// `meta` are classic's `.describe()`/`.meta()`: a clone of the schema, registered with its
// metadata, so a shared validator is never annotated.
// Every module that builds schemas imports this one first (the memoizer is read when a schema is
// built), and imports zod/mini itself as a namespace: re-exported from here, the whole namespace
// would be kept in the bundle, every locale with it (test/scripts/bundle-zod.test.ts).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

if (!z.config().localeError) z.config(en());
if (!z.config().memoizer) z.config({ memoizer: z.memoizer() });

/** A clone of `schema` with this description in the JSON Schema (classic `schema.describe(text)`). */
export function describe<T extends z.ZodMiniType>(schema: T, description: string): T {
  const cl = schema.clone();
  z.globalRegistry.add(cl, { description });
  return cl;
}

/** A clone of `schema` with this metadata in the JSON Schema (classic `schema.meta(m)`). */
export function meta<T extends z.ZodMiniType>(schema: T, m: z.core.GlobalMeta): T {
  const cl = schema.clone();
  z.globalRegistry.add(cl, m);
  return cl;
}
