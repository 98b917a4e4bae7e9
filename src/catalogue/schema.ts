// Schema of the declarative step catalogue (steps/*.yaml) and command snippets (templates/*.yaml).
// Validation runs in three passes, as changesets' config parser does: this zod schema (shape),
// then normalisation (load.ts), then cross-references (template variables, step ids, cycles).
import * as z from 'zod/mini';
// English messages and the memoizer, installed before any schema here is built (zod.ts says why).
import '../zod.js';
import { SERVICE_NAME, SERVICE_NAME_MAX } from '../plan/controlcenter-soap.js';

/** Step ids: a letter and three digits (S001–S127 are the outline's). */
export const STEP_ID = /^[A-Z]\d{3}$/;

/**
 * The catalogue's zod schemas, built at their first use. Only loading the catalogue from its
 * sources validates with them; a plan from the precompiled catalogue (dist/catalogue.json) never
 * does, and building ~20 object schemas was a tenth of `plan`'s start-up (issue 25).
 */
function buildSchemas() {
  const text = z.string().check(z.minLength(1));
  /** A line kept only where `when` holds (e.g. a warning or back-out line of one product release). */
  const condText = z.union([text, z.strictObject({ text, when: z.string() })]);
  /** Durations in the catalogue are written as "30s", "10m" or plain milliseconds. */
  const duration = z.union([z.number().check(z.int(), z.positive()), z.string().check(z.regex(/^\d+(ms|s|m)$/))]);

  const dialogueEntrySchema = z
    .strictObject({
      expect: text,
      answer: z.optional(z.string()),
      paste: z.optional(z.string()),
      terminator: z.optional(z.string()),
      label: z.optional(z.string()),
      secret: z.optional(z.boolean()),
      pasteAtRuntime: z.optional(z.boolean()),
    })
    .check(
      z.refine((d) => (d.answer !== undefined) !== (d.paste !== undefined || d.pasteAtRuntime === true), {
        message: 'a dialogue entry has exactly one of answer or paste/pasteAtRuntime',
      }),
    );

  /** One line of a snippet. `send` may hold {{ variables }}. */
  const snippetCommandSchema = z.strictObject({
    send: text,
    when: z.optional(z.string()),
    each: z.optional(z.string()),
    dialogue: z._default(z.array(dialogueEntrySchema), []),
    timeout: z.optional(duration),
    capture: z.optional(z.string()),
    /**
     * A read-only check that must pass before the step goes on: when the command's output matches
     * `pattern` (a multi-line regular expression), the step stops with `reason` and nothing after
     * it is sent (e.g. S091: `database cluster status` already Enabled before a join).
     */
    refuseIf: z.optional(
      z.strictObject({
        pattern: z.string().check(
          z.minLength(1),
          z.maxLength(200),
          z.refine((p) => { try { new RegExp(p, 'm'); return true; } catch { return false; } }, 'a valid regular expression'),
        ),
        reason: text,
      }),
    ),
  });

  const snippetSchema = z.strictObject({
    description: z.optional(z.string()),
    /** Names of the parameters a step passes with `with:`. */
    params: z._default(z.array(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]*$/))), []),
    commands: z.array(snippetCommandSchema).check(z.minLength(1)),
  });

  const templateFileSchema = z.strictObject({
    platform: z.enum(['vos', 'ios', 'mmp', 'local', 'xapi']),
    snippets: z.record(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/)), snippetSchema),
  });

  /** A step refers to a snippet as "file/name" (file = template file name without .yaml). */
  const commandRefSchema = z.union([
    z.string().check(z.regex(/^[a-z0-9-]+\/[a-z0-9-]+$/)),
    z.strictObject({
      use: z.string().check(z.regex(/^[a-z0-9-]+\/[a-z0-9-]+$/)),
      with: z._default(z.record(z.string(), z.string()), {}),
      when: z.optional(z.string()),
      each: z.optional(z.string()),
    }),
  ]);

  const targetSchema = z.union([
    z.string(),
    z.strictObject({
      group: text,
      /** Keep only the targets for which this expression is true. */
      where: z.optional(z.string()),
    }),
  ]);

  const guiSchema = z.strictObject({
    path: z.array(text).check(z.minLength(1)),
    /** `when` keeps a row only for inventories where it applies (e.g. a trunk type that exists). */
    fields: z._default(z.array(z.strictObject({ field: text, value: z.string(), when: z.optional(z.string()) })), []),
    notes: z._default(z.array(text), []),
  });

  /**
   * An object the step writes through Unified CM's AXL API (issue 21). The object type names the
   * operations (add<Type>, update<Type>, get<Type>); fields are written in the order of the type's
   * sequence in AXLSoap.xsd, which the tests check against the published schema.
   */
  /**
   * Services a step activates through Control Center Services (issue 21: S021, S029), per node
   * role (the target's `node.publisher`): Service Activation's display names. Each is read first
   * (soapGetServiceStatus: already Started is recorded, nothing sent), then deployed
   * (soapDoServiceDeployment, DeployType Deploy) and polled until Started.
   */
  const serviceName = z.string().check(z.maxLength(SERVICE_NAME_MAX), z.regex(SERVICE_NAME, 'a service display name (letters, digits, single blanks, ( ) + . / _ -)'));
  const controlCenterSchema = z
    .strictObject({
      /** NodeName of the deployment: the name the cluster knows the node by (System > Server); a template. */
      nodeName: text,
      publisher: z._default(z.array(serviceName), []),
      subscriber: z._default(z.array(serviceName), []),
    })
    .check(z.refine((c) => c.publisher.length + c.subscriber.length > 0, { message: 'a controlcenter block names at least one service' }));

  /**
   * The same change through Unity Connection's provisioning API (CUPI, issue 21: S042, S043, S044,
   * S125), on a Unity Connection node: one read-before-write task (src/transport/cupi/ensure.ts).
   * Names are templates; `tftp`, `blocked` and `tables` name lists in the target's context.
   */
  const cupiPort = z.number().check(z.int(), z.gte(1024), z.lte(65535));
  const contextPath = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*$/, 'a dotted path in the target context, e.g. unity.tftp'));
  const cupiSchema = z.discriminatedUnion('task', [
    z.strictObject({ task: z.literal('sip-security-profile'), port: cupiPort }),
    z.strictObject({ task: z.literal('port-group-security'), portGroup: text, profilePort: cupiPort }),
    z.strictObject({ task: z.literal('port-group-servers'), portGroup: text, tlsPort: cupiPort, tftp: contextPath }),
    z.strictObject({ task: z.literal('restriction-patterns'), blocked: contextPath, tables: contextPath }),
  ]);

  const axlFieldSchema = z.strictObject({
    /**
     * An element, or `list.item[].leaf`: that leaf in every item of a list the object already has
     * (a trunk's destinations' port), for update only — the items are read, changed and written whole.
     */
    name: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*\[\]\.[A-Za-z][A-Za-z0-9_]*)?$/)),
    value: z.string(),
    when: z.optional(z.string()),
  });

  const axlObjectSchema = z
    .strictObject({
      object: z.string().check(z.regex(/^[A-Z][A-Za-z0-9]*$/)),
      /**
       * create: add unless an object of that name exists (then compared, never overwritten); update: it
       * must exist; check: nothing is written, the checkpoint only reads the object back and compares
       * (for settings whose stored encoding is not confirmed, or that collabsec must not write).
       */
      mode: z.enum(['create', 'update', 'check']),
      when: z.optional(z.string()),
      each: z.optional(z.string()),
      /** The fields that identify the object (get<Type> takes them); default [name]; [] for one per cluster (getLdapAuthentication takes none). */
      key: z._default(z.array(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*$/))), ['name']),
      fields: z.array(axlFieldSchema).check(z.minLength(1)),
      /** After a write: reset<Type> (e.g. a SIP trunk, which drops its calls) or apply<Type>, by name. */
      after: z.optional(z.enum(['reset', 'apply'])),
      /**
       * Objects found at run time rather than named (issue 21 bulk moves): list<Type> with these
       * searchCriteria (in the order of the List…Req sequence), paged; kept only when the returned
       * `model` is among the list at `models` (a context path; empty list: all); updated in waves of
       * `waveSize`, each written, applied and read back before the next. More than `max` matches stop
       * the step before anything is written. The objects' `name` comes from the listing.
       */
      select: z.optional(
        z.strictObject({
          criteria: z.array(axlFieldSchema).check(z.minLength(1)),
          models: z.optional(z.string().check(z.regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*$/))),
          waveSize: z.string(),
          max: z.string(),
        }),
      ),
    })
    .check(
      z.refine((o) => o.select !== undefined || o.key.every((k) => o.fields.some((f) => f.name === k && !f.when)), { message: 'every key field of an AXL object must be an unconditional field', path: ['fields'] }),
      z.refine((o) => o.select === undefined || (o.mode === 'update' && o.key.length === 1 && o.key[0] === 'name' && o.fields.every((f) => f.name !== 'name' && !f.name.includes('.'))), {
        message: 'a selected object is updated by its listed name: mode update, key [name], no name or list fields',
        path: ['select'],
      }),
      z.refine((o) => o.mode === 'update' || o.fields.every((f) => !f.name.includes('.')), { message: 'a list.item[].leaf field changes existing items: update only', path: ['fields'] }),
      z.refine((o) => o.mode !== 'check' || (o.select === undefined && o.after === undefined), { message: 'a check reads one object back: no select, no after', path: ['mode'] }),
    );

  /**
   * A TLS probe of the checkpoint (issue 22): connect to `port` of each target node (its inventory
   * address, SNI its FQDN; STARTTLS first for XMPP) and judge the certificate it presents — chained to
   * the enterprise root, naming the node, valid, key size — by the rules of `role` when given.
   */
  const tlsProbeSchema = z.strictObject({
    /** The product's port (a number, or a template that renders to one). */
    port: z.union([z.number().check(z.int(), z.gte(1), z.lte(65535)), z.string().check(z.minLength(1))]),
    starttls: z.optional(z.enum(['xmpp-client', 'xmpp-server'])),
    /** Certificate role (steps/certificates.yaml), judged as `collabsec cert check --for <role>`. */
    role: z.optional(z.string().check(z.regex(/^[a-z0-9-]+\/[a-z0-9-]+$/))),
    when: z.optional(z.string()),
  });

  /**
   * One item of a verification argument list that depends on the target: rendered once per element
   * of `each` (e.g. one `crypto signaling remote-addr` line per Unified CM address), and left out
   * when `when` is false. Rendered plans carry plain strings only.
   */
  const verifyArgItemSchema = z.strictObject({
    value: text,
    each: z.optional(z.string()),
    when: z.optional(z.string()),
  });

  /**
   * A machine check of a file a local step (or the operator, following the step's instructions) left
   * in the session work folder (issue 22): `key` — a private key, RSA of at least 2048 bits, readable
   * by its owner only; `csr` — parses, is signed by its own key and names what `role` expects for the
   * target (and, with `key`, was made from that key); `pkcs12` — opens with the export password and
   * holds the key of `key` with the certificate of `cert`. File names are templates.
   */
  const fileCheckSchema = z
    .strictObject({
      kind: z.enum(['key', 'csr', 'pkcs12']),
      file: z.string().check(z.minLength(1)),
      /** A role id, or a template that renders to one per target (S005: `{{node.ms.firstRole}}`). */
      role: z.optional(z.string().check(z.regex(/^([a-z0-9-]+\/[a-z0-9-]+|.*\{\{.+\}\}.*)$/))),
      key: z.optional(z.string().check(z.minLength(1))),
      cert: z.optional(z.string().check(z.minLength(1))),
      when: z.optional(z.string()),
    })
    .check(
      z.refine((f) => f.kind !== 'csr' || f.role !== undefined, { message: 'a csr file check needs the role whose names it must carry', path: ['role'] }),
      z.refine((f) => f.kind !== 'pkcs12' || (f.key !== undefined && f.cert !== undefined), { message: 'a pkcs12 file check needs the key and cert files it must hold', path: ['key'] }),
      z.refine((f) => f.kind === 'csr' || f.kind === 'pkcs12' || (f.key === undefined && f.cert === undefined), { message: 'a key file check takes no key or cert', path: ['kind'] }),
    );

  const verifySchema = z.strictObject({
    command: text,
    parser: text,
    args: z._default(z.record(z.string(), z.union([z.string(), z.array(z.union([z.string(), verifyArgItemSchema]))])), {}),
    when: z.optional(z.string()),
    /**
     * `item in path`: one read per element of a list of the target's context (e.g. every FQDN the
     * inventory names), command and arguments rendered with `item` bound, in order, on the same
     * target; the checkpoint passes only when every read passes. The plan shows each command.
     */
    each: z.optional(z.string()),
  });

  const checkpointSchema = z
    .strictObject({
      question: text,
      origin: z.enum(['source', 'suggested']),
      /**
       * Why the operator answers this checkpoint rather than a machine: what cannot be read, and
       * through which interface it might be (issue 22). Only on a checkpoint with no automatic check.
       */
      why: z.optional(text),
      /**
       * One read-only check, or a list of them: every entry whose `when` holds is read on the target,
       * in order, and the checkpoint passes only when every read passes (S035: the LSC issuer's
       * trustpoint and the credentials service). Alternatives, e.g. a service whose show command
       * differs by release, are entries with exclusive conditions (S088). None holds: the operator answers.
       */
      verify: z.optional(z.union([verifySchema, z.array(verifySchema).check(z.minLength(1))])),
      certificate: z.optional(z.string()),
      /**
       * With `certificate`, at a CA-signing step: the CSR the returned certificate must answer. A file
       * name (template) of the session work folder, where an earlier step made or captured it, or
       * `ask` when the operator downloaded it and must name it (--csr KEY=FILE).
       */
      csr: z.optional(z.string().check(z.minLength(1))),
      tls: z.optional(z.array(tlsProbeSchema).check(z.minLength(1))),
      files: z.optional(z.array(fileCheckSchema).check(z.minLength(1))),
    })
    .check(z.refine((c) => c.csr === undefined || c.certificate !== undefined, { message: 'csr names the CSR of a certificate check: it needs certificate', path: ['csr'] }));

  const stepSchema = z
    .strictObject({
      /**
       * A letter and three digits, ascending in execution order across the catalogue (load.ts): the
       * letter groups steps that bracket the outline's S001–S127 (e.g. P… before, V… after).
       */
      id: z.string().check(z.regex(STEP_ID)),
      slug: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/)),
      title: text,
      product: text,
      kind: z.enum(['cli', 'ios-config', 'mmp', 'local', 'gui', 'manual']),
      summary: text,
      source: z.optional(z.string()),
      targets: targetSchema,
      /** Applicability: the step is in the plan only when this expression is true. */
      when: z.optional(z.string()),
      requires: z._default(z.array(z.string().check(z.regex(STEP_ID))), []),
      disruptive: z._default(z.boolean(), false),
      /** IOS: save the running configuration (`write memory`) after the step's lines. */
      saveConfig: z._default(z.boolean(), false),
      /** Disruptive steps need typed confirmation; this is the warning shown first. */
      restarts: z._default(z.array(text), []),
      warnings: z._default(z.array(condText), []),
      commands: z._default(z.array(commandRefSchema), []),
      gui: z.optional(guiSchema),
      /** The same change through AXL, on Unified CM publishers; read back as the checkpoint. */
      axl: z._default(z.array(axlObjectSchema), []),
      /** The same change through Control Center Services (service activation), on VOS nodes. */
      controlcenter: z.optional(controlCenterSchema),
      /** The same change through Unity Connection CUPI (REST), read first and read back. */
      cupi: z.optional(cupiSchema),
      /** Plain lines, or `{ text, when }` for a line that holds only for some releases or features (like warnings). */
      instructions: z._default(z.array(condText), []),
      checkpoint: checkpointSchema,
      /**
       * The checkpoint's read is kept in the session under this name, per target: the first step of
       * the plan that declares a name gives the "before", the last the "after", and the evidence pack
       * shows them side by side. Only with a `verify` (the read that is kept).
       */
      baseline: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/))),
      backout: z.optional(z.strictObject({ text: z._default(z.array(condText), []), commands: z._default(z.array(z.string()), []) })),
    })
    .check(
      z.superRefine((s, ctx) => {
        const ssh = s.kind === 'cli' || s.kind === 'ios-config' || s.kind === 'mmp' || s.kind === 'local';
        if (ssh && s.commands.length === 0) {
          ctx.addIssue({ code: 'custom', message: `a ${s.kind} step needs commands`, path: ['commands'] });
        }
        if (s.kind === 'gui' && !s.gui) {
          ctx.addIssue({ code: 'custom', message: 'a gui step needs a gui block', path: ['gui'] });
        }
        if (s.baseline !== undefined && s.checkpoint.verify === undefined) {
          ctx.addIssue({ code: 'custom', message: 'a baseline keeps the checkpoint read: it needs checkpoint.verify', path: ['baseline'] });
        }
        if (s.kind === 'manual' && s.instructions.length === 0) {
          ctx.addIssue({ code: 'custom', message: 'a manual step needs instructions', path: ['instructions'] });
        }
      }),
    );

  const stepFileSchema = z.strictObject({
    phase: z.string().check(z.regex(/^[A-Z]$/)),
    title: text,
    steps: z.array(stepSchema).check(z.minLength(1)),
  });

  const productsFileSchema = z.strictObject({
    products: z.array(z.strictObject({ id: z.string().check(z.regex(/^[a-z0-9-]+$/)), name: text })).check(z.minLength(1)),
  });
  return {
    condText,
    dialogueEntry: dialogueEntrySchema,
    snippetCommand: snippetCommandSchema,
    snippet: snippetSchema,
    templateFile: templateFileSchema,
    commandRef: commandRefSchema,
    target: targetSchema,
    gui: guiSchema,
    controlCenter: controlCenterSchema,
    cupi: cupiSchema,
    axlField: axlFieldSchema,
    axlObject: axlObjectSchema,
    tlsProbe: tlsProbeSchema,
    verifyArgItem: verifyArgItemSchema,
    fileCheck: fileCheckSchema,
    verify: verifySchema,
    checkpoint: checkpointSchema,
    step: stepSchema,
    stepFile: stepFileSchema,
    productsFile: productsFileSchema,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;

export function catalogueSchemas(): Schemas {
  built ??= buildSchemas();
  return built;
}

export type DialogueEntryDef = z.infer<Schemas['dialogueEntry']>;
export type SnippetCommandDef = z.infer<Schemas['snippetCommand']>;
export type SnippetDef = z.infer<Schemas['snippet']>;
export type TemplateFileDef = z.infer<Schemas['templateFile']>;
export type CommandRefDef = z.infer<Schemas['commandRef']>;
export type StepDef = z.infer<Schemas['step']>;
export type StepFileDef = z.infer<Schemas['stepFile']>;
export type AxlObjectDef = z.infer<Schemas['axlObject']>;
export type CheckpointDef = z.infer<Schemas['checkpoint']>;
export type TlsProbeDef = z.infer<Schemas['tlsProbe']>;
export type FileCheckDef = z.infer<Schemas['fileCheck']>;
export type VerifyDef = z.infer<Schemas['verify']>;
export type CondTextDef = z.infer<Schemas['condText']>;

/** The checkpoint's verification entries, in order (none, one, or several, each with its own `when`). */
export function verifyVariants(cp: CheckpointDef): VerifyDef[] {
  return cp.verify === undefined ? [] : Array.isArray(cp.verify) ? cp.verify : [cp.verify];
}

/** The text of a conditional line, and its condition (undefined: always). */
export function condTextParts(t: CondTextDef): { text: string; when?: string } {
  return typeof t === 'string' ? { text: t } : t;
}
