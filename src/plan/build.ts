// plan(topology, catalogue) → Plan. Pure: the only outside input is `fileInfo`, injected so the
// dry-run can show a pasted certificate's fingerprint without this module touching the disk.
import type { Catalogue, CatalogueStep, Snippet } from '../catalogue/load.js';
import { checkParameterFields, ParameterError } from '../catalogue/axl-params.js';
import { evalExpr, lookup, parseExpr } from '../catalogue/expr.js';
import { type CondTextDef, type VerifyDef, condTextParts } from '../catalogue/schema.js';
import { TemplateError, parseEach, renderTemplate } from '../catalogue/template.js';
import { hasControl } from '../inventory/validators.js';
import { jsonEqual } from './json-equal.js';
import { NO_EXTRA, RenderMemo } from './memo.js';
import type { TargetNode, Topology } from '../inventory/topology.js';
import { ExitCode, UserError } from '../errors.js';
import { newSha256 } from '../sha256.js';
import { checkCupiTask, CupiValueError, cupiRequests, type CupiTaskSpec } from './cupi-rest.js';
import { ControlCenterValueError, checkNodeName, CONTROL_CENTER_PATH, serviceDeploymentBody, serviceStatusBody } from './controlcenter-soap.js';
import type { Action, ApiRequest, AxlRequest, AxlSelection, DialogueEntry, PasteFileInfo, Plan, PlannedStep, RenderedBackout, RenderedCheckpoint, RenderedCommand, RenderedGui, TlsProbe, FileCheck, VerifyExpectation } from './types.js';

export type FileInfo = (path: string) => PasteFileInfo;

export interface BuildOptions {
  /**
   * The inventory's hash, or how to get it: called on the first read of plan.inventoryHash, which a
   * text plan never makes (src/inventory/load.ts, loadedInventory).
   */
  inventoryHash: string | (() => string);
  fileInfo?: FileInfo;
  /** Keep only these products / step ids (ids or slugs); validated by the caller. */
  products?: string[];
  steps?: string[];
  /** false: render every part for every target (test/plan/memo.test.ts compares the two). */
  memo?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export function parseDuration(d: number | string | undefined): number {
  if (d === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof d === 'number') return d;
  const m = /^(\d+)(ms|s|m)$/.exec(d);
  if (!m) return DEFAULT_TIMEOUT_MS;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

class RenderError extends UserError {
  constructor(step: CatalogueStep, target: string, cause: string) {
    super(`step ${step.id} (${step.slug}) on ${target}: ${cause}`, 'A value the step needs is missing from the inventory.', ExitCode.invalidInput);
  }
}

/** A rendered device line must be exactly one clean line (defence in depth after validation). */
function cleanLine(line: string, step: CatalogueStep, target: string): string {
  if (hasControl(line)) throw new RenderError(step, target, `rendered line contains a control character: ${JSON.stringify(line)}`);
  return line;
}

/**
 * A context with a few extra names (loop variable, snippet parameters) layered over `ctx` by
 * prototype, instead of copying the whole context for every command of every target.
 */
function layer(ctx: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(ctx) as Record<string, unknown>, extra);
}

function eachItems(each: string | undefined, ctx: Record<string, unknown>): Record<string, unknown>[] {
  if (!each) return [ctx];
  const { name, path } = parseEach(each);
  const items = lookup(ctx, path);
  if (!Array.isArray(items)) return [];
  return items.map((item: unknown) => layer(ctx, { [name]: item }));
}

function renderSnippet(snippet: Snippet, ctx: Record<string, unknown>, step: CatalogueStep, target: string): RenderedCommand[] {
  const out: RenderedCommand[] = [];
  for (const c of snippet.commands) {
    if (c.when && !evalExpr(parseExpr(c.when), ctx)) continue;
    for (const ictx of eachItems(c.each, ctx)) {
      const dialogue: DialogueEntry[] = c.dialogue.map((d) => {
        const r = (t: string | undefined) => (t === undefined ? undefined : renderTemplate(t, ictx));
        const e: DialogueEntry = { expect: renderTemplate(d.expect, ictx) };
        if (d.answer !== undefined) e.answer = r(d.answer);
        if (d.paste !== undefined) e.paste = r(d.paste);
        if (d.terminator !== undefined) e.terminator = r(d.terminator);
        if (d.label !== undefined) e.label = r(d.label);
        if (d.secret) e.secret = true;
        if (d.pasteAtRuntime) e.pasteAtRuntime = true;
        return e;
      });
      const cmd: RenderedCommand = { line: cleanLine(renderTemplate(c.send, ictx), step, target), dialogue, timeoutMs: parseDuration(c.timeout) };
      if (c.capture) cmd.capture = c.capture;
      if (c.refuseIf) cmd.refuseIf = { pattern: c.refuseIf.pattern, reason: renderTemplate(c.refuseIf.reason, ictx) };
      out.push(cmd);
    }
  }
  return out;
}

function renderCommands(step: CatalogueStep, cat: Catalogue, ctx: Record<string, unknown>, target: string): RenderedCommand[] {
  const out: RenderedCommand[] = [];
  for (const raw of step.commands) {
    const ref = typeof raw === 'string' ? { use: raw, with: {} as Record<string, string>, when: undefined, each: undefined } : raw;
    if (ref.when && !evalExpr(parseExpr(ref.when), ctx)) continue;
    const snippet = cat.snippets.get(ref.use);
    if (!snippet) throw new RenderError(step, target, `unknown snippet ${ref.use}`);
    for (const ictx of eachItems(ref.each, ctx)) {
      const params = Object.fromEntries(Object.entries(ref.with).map(([k, v]) => [k, renderTemplate(v, ictx)]));
      out.push(...renderSnippet(snippet, layer(ictx, params), step, target));
    }
  }
  return out;
}

/** `name=value`, quoted (JSON string rules) when the value is empty or has blanks, quotes or `=`. */
function axlPair(name: string, value: string): string {
  return `${name}=${value === '' || /[\s"'=\\]/.test(value) ? JSON.stringify(value) : value}`;
}

/** The run-time selection of an AXL object: criteria rendered and cleaned like any value, numbers bounded. */
function renderSelect(object: string, sel: NonNullable<CatalogueStep['axl'][number]['select']>, ctx: Record<string, unknown>, step: CatalogueStep, target: string): AxlSelection {
  const criteria = sel.criteria
    .filter((f) => !f.when || evalExpr(parseExpr(f.when), ctx))
    .map((f) => ({ name: f.name, value: cleanLine(renderTemplate(f.value, ctx), step, target) }))
    .filter((f) => f.value !== '');
  // ListPhoneReq: "At least one element under searchCriteria has to be mentioned" (AXLSoap.xsd).
  if (criteria.length === 0) throw new RenderError(step, target, `the ${object} selection has no search criteria`);
  const models = sel.models === undefined ? [] : lookup(ctx, sel.models.split('.'));
  const int = (t: string, what: string, hi: number): number => {
    const raw = renderTemplate(t, ctx).trim();
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > hi) throw new RenderError(step, target, `${what} "${raw}" is not a number from 1 to ${hi}`);
    return n;
  };
  return {
    list: `list${object}`,
    criteria,
    models: Array.isArray(models) ? models.map((m) => cleanLine(String(m), step, target)) : [],
    waveSize: int(sel.waveSize, 'wave size', 500),
    max: int(sel.max, 'selection bound', 20000),
  };
}

/** A selection for people: `devicePoolName=DP-HQ name=SEP% model=Cisco 8845|Cisco 8865`. */
function selectionName(sel: AxlSelection): string {
  return [...sel.criteria.map((f) => axlPair(f.name, f.value)), ...(sel.models.length > 0 ? [axlPair('model', sel.models.join('|'))] : [])].join(' ');
}

/** A parameter object: a known parameter, a value of its kind (axl-params.ts); reported with the step. */
function checkParameter(fields: AxlRequest['fields'], mode: AxlRequest['mode'], step: CatalogueStep, target: string): void {
  try {
    checkParameterFields(fields, mode);
  } catch (e) {
    if (e instanceof ParameterError) throw new RenderError(step, target, e.message);
    throw e;
  }
}

function renderAxl(step: CatalogueStep, ctx: Record<string, unknown>, target: string): AxlRequest[] {
  const out: AxlRequest[] = [];
  for (const o of step.axl) {
    if (o.when && !evalExpr(parseExpr(o.when), ctx)) continue;
    for (const ictx of eachItems(o.each, ctx)) {
      const fields = o.fields
        .filter((f) => !f.when || evalExpr(parseExpr(f.when), ictx))
        .map((f) => ({ name: f.name, value: cleanLine(renderTemplate(f.value, ictx), step, target) }));
      if (o.object === 'ServiceParameter') checkParameter(fields, o.mode, step, target);
      const operation = `${o.mode === 'create' ? 'add' : o.mode === 'update' ? 'update' : 'get'}${o.object}`;
      const select = o.select ? renderSelect(o.object, o.select, ictx, step, target) : undefined;
      const name = select ? selectionName(select) : o.key.map((k) => fields.find((f) => f.name === k)!.value).join(' / ');
      const write = [operation, ...(select ? ['name=<each listed>'] : []), ...fields.map((f) => axlPair(f.name, f.value))].join(' ');
      const req: AxlRequest = {
        object: o.object,
        mode: o.mode,
        name,
        key: o.key,
        fields,
        operation,
        readBack: `get${o.object}`,
        readable: select
          ? `${select.list} ${name} → ${write}${o.after ? ` + ${o.after}${o.object}` : ''}, waves of ${select.waveSize}, at most ${select.max}`
          : o.mode === 'check'
            ? `${write} (read back only, not written)`
            : write,
      };
      if (o.after) req.after = o.after;
      if (select) req.select = select;
      out.push(req);
    }
  }
  return out;
}

/**
 * The Control Center Services requests of one target: per service of its role (publisher or
 * subscriber), the status read then the deployment (sent only when the read shows it is needed).
 * Returns the action's requests and the checkpoint's reads; [] when the step has none here.
 */
function renderControlCenter(step: CatalogueStep, ctx: Record<string, unknown>, target: string): { requests: ApiRequest[]; checks: ApiRequest[] } {
  const cc = step.controlcenter;
  if (cc === undefined) return NO_API;
  const services = lookup(ctx, ['node', 'publisher']) === true ? cc.publisher : cc.subscriber;
  const requests: ApiRequest[] = [];
  const checks: ApiRequest[] = [];
  try {
    const nodeName = checkNodeName(cleanLine(renderTemplate(cc.nodeName, ctx), step, target));
    for (const service of services) {
      const read: ApiRequest = { api: 'controlcenter', mode: 'check', method: 'POST', path: CONTROL_CENTER_PATH, body: serviceStatusBody(service), readable: `soapGetServiceStatus ServiceStatus=${JSON.stringify(service)}`, subject: service };
      requests.push(read);
      requests.push({
        api: 'controlcenter',
        mode: 'write',
        method: 'POST',
        path: CONTROL_CENTER_PATH,
        body: serviceDeploymentBody(nodeName, 'Deploy', [service]),
        readable: `soapDoServiceDeployment NodeName=${nodeName} DeployType=Deploy ServiceList=${JSON.stringify(service)}, then soapGetServiceStatus until Started`,
        subject: service,
      });
      checks.push({ ...read, readable: `${read.readable}, expecting Started` });
    }
  } catch (e) {
    if (e instanceof ControlCenterValueError) throw new RenderError(step, target, e.message);
    throw e;
  }
  return { requests, checks };
}

/**
 * The CUPI requests of one Unity Connection target (S042, S043, S044, S125): the task with its
 * names rendered and its lists taken from the target's context, every value checked for its kind.
 */
function renderCupi(step: CatalogueStep, ctx: Record<string, unknown>, target: string): { task?: CupiTaskSpec; requests: ApiRequest[]; checks: ApiRequest[] } {
  // Apart from the rendering: a function whose closures capture its arguments allocates their
  // context on every call, and every target of every step comes here (issue 25).
  return step.cupi === undefined ? NO_API : renderCupiTask(step, step.cupi, ctx, target);
}

function renderCupiTask(step: CatalogueStep, c: NonNullable<CatalogueStep['cupi']>, ctx: Record<string, unknown>, target: string): { task?: CupiTaskSpec; requests: ApiRequest[]; checks: ApiRequest[] } {
  const name = (t: string): string => cleanLine(renderTemplate(t, ctx), step, target);
  const list = (path: string): string[] => {
    const v = lookup(ctx, path.split('.'));
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw new RenderError(step, target, `${path} is not a list of names`);
    return v.map((x) => cleanLine(x, step, target));
  };
  try {
    const task: CupiTaskSpec =
      c.task === 'sip-security-profile'
        ? { kind: c.task, port: c.port }
        : c.task === 'port-group-security'
          ? { kind: c.task, portGroup: name(c.portGroup), profilePort: c.profilePort }
          : c.task === 'port-group-servers'
            ? { kind: c.task, portGroup: name(c.portGroup), tlsPort: c.tlsPort, tftp: list(c.tftp) }
            : { kind: c.task, blocked: list(c.blocked), tables: list(c.tables) };
    const checked = checkCupiTask(task);
    return { task: checked, ...cupiRequests(checked) };
  } catch (e) {
    if (e instanceof CupiValueError) throw new RenderError(step, target, e.message);
    throw e;
  }
}

function renderGui(step: CatalogueStep, ctx: Record<string, unknown>): RenderedGui | undefined {
  if (!step.gui) return undefined;
  const r = (t: string) => renderTemplate(t, ctx);
  return {
    path: step.gui.path.map(r),
    fields: step.gui.fields.filter((f) => !f.when || evalExpr(parseExpr(f.when), ctx)).map((f) => ({ field: r(f.field), value: r(f.value) })),
    notes: step.gui.notes.map(r),
  };
}

/** No probes: one shared list, never stored (the checkpoint keeps `tls` only when it has some). */
const NO_PROBES: readonly TlsProbe[] = Object.freeze([]);

/**
 * The checkpoint's TLS probes on one node: its inventory address (ip, else FQDN), the catalogue's
 * port unless the node's tlsPorts says where that port really answers, SNI the node's FQDN.
 */
function renderTls(step: CatalogueStep, ctx: Record<string, unknown>, node: TargetNode): readonly TlsProbe[] {
  const probes = step.checkpoint.tls;
  // Nothing read without a probe: the checkpoint memo keys on every value a rendering reads, and
  // the node's own FQDN read for nothing made every target's checkpoint a miss on 500-node plans.
  if (probes === undefined || probes.length === 0) return NO_PROBES;
  const out: TlsProbe[] = [];
  const fqdn = lookup(ctx, ['node', 'fqdn']);
  const servername = typeof fqdn === 'string' && fqdn !== '' ? fqdn : undefined;
  // Indexed: once per target, without TurboFan (src/optimising-tier.ts) a for…of allocates per element.
  for (let i = 0; i < probes.length; i++) {
    const t = probes[i]!;
    if (t.when && !evalExpr(parseExpr(t.when), ctx)) continue;
    const raw = typeof t.port === 'number' ? String(t.port) : renderTemplate(t.port, ctx).trim();
    const port = Number(raw);
    if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new RenderError(step, node.name, `TLS probe port "${raw}" is not a port number`);
    const host = node.host ?? servername;
    if (host === undefined) throw new RenderError(step, node.name, 'a TLS probe needs the node\'s ip or FQDN');
    const probe: TlsProbe = { host, port: node.tlsPorts?.[String(port)] ?? port };
    if (servername !== undefined) probe.servername = servername;
    if (t.starttls) probe.starttls = t.starttls;
    if (t.role) probe.role = t.role;
    out.push(probe);
  }
  return out;
}

/**
 * One read of a checkpoint in context `c`: its command, typed at the device's prompt like any step
 * line (no control character gets through), its parser and its rendered arguments. Built with
 * loops, not entries/map/fromEntries/flatMap: it runs once per target of a step whose reads name
 * the node (600 times for P001 on a 500-node plan), on V8's interpreter and baseline tiers where
 * each of those left its lists and closures behind (issue 25). The same object, key for key.
 */
function readOf(v: VerifyDef, c: Record<string, unknown>, step: CatalogueStep, node: TargetNode): VerifyExpectation {
  // The command first, then the arguments in order: a rendering error names the same one as before.
  const command = cleanLine(renderTemplate(v.command, c), step, node.name);
  const args: Record<string, string | string[]> = {};
  // for…in over the catalogue's plain object: its own keys in Object.keys' order, without a list.
  for (const key in v.args) {
    const val = v.args[key]!;
    if (!Array.isArray(val)) {
      args[key] = renderTemplate(val, c);
      continue;
    }
    const list: string[] = [];
    for (let j = 0; j < val.length; j++) {
      const item = val[j]!;
      if (typeof item === 'string') list.push(renderTemplate(item, c));
      else if (!item.when || evalExpr(parseExpr(item.when), c)) {
        const ictxs = eachItems(item.each, c);
        for (let x = 0; x < ictxs.length; x++) list.push(renderTemplate(item.value, ictxs[x]!));
      }
    }
    args[key] = list;
  }
  return { command, parser: v.parser, args };
}

/** The checkpoint's reads over SSH in this context (`verify` of RenderedCheckpoint), if any. */
function renderVerify(step: CatalogueStep, ctx: Record<string, unknown>, node: TargetNode): RenderedCheckpoint['verify'] {
  const def = step.checkpoint.verify;
  if (def === undefined) return undefined;
  // Every read whose condition holds, in the catalogue's order; all of them must pass. Alternatives
  // (a service's show command of this release) are entries with exclusive conditions (S088).
  const vs = Array.isArray(def) ? def.filter((x) => !x.when || evalExpr(parseExpr(x.when), ctx)) : !def.when || evalExpr(parseExpr(def.when), ctx) ? [def] : [];
  // A verification is read over SSH: a target without an SSH platform (an Expressway whose admin
  // SSH the inventory does not offer) keeps the operator's question instead.
  if (vs.length === 0 || node.platform === undefined) return undefined;
  // One read stays a single expectation (the plan JSON and the snapshots keep their shape); a
  // repeated read (`each`) or several entries are a list. None at all: the question stays.
  if (vs.length === 1 && vs[0]!.each === undefined) return readOf(vs[0]!, ctx, step, node);
  // `each`: one read per element, every one shown and run; an empty list adds no read.
  const reads: VerifyExpectation[] = [];
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    if (v.each === undefined) reads.push(readOf(v, ctx, step, node));
    else {
      const ictxs = eachItems(v.each, ctx);
      for (let x = 0; x < ictxs.length; x++) reads.push(readOf(v, ictxs[x]!, step, node));
    }
  }
  return reads.length > 0 ? reads : undefined;
}

/** The memoised parts of one step (src/plan/memo.ts), each rendered once per distinct set of values read. */
interface StepMemos {
  checkpoint: RenderMemo<RenderedCheckpoint>;
  /** The verify memo's rendering for a target of this step: one function per step, not an argument object per target. */
  verifyOf: (t: Target) => RenderedCheckpoint['verify'];
  verify: RenderMemo<RenderedCheckpoint['verify']>;
  commands: RenderMemo<{ exchanges: RenderedCommand[]; commands: string[]; pasteFiles: PasteFileInfo[] }>;
  axl: RenderMemo<{ all: AxlRequest[]; writes: AxlRequest[] }>;
  gui: RenderMemo<RenderedGui | undefined>;
  backout: RenderMemo<RenderedBackout | undefined>;
}

/** The `extra` of a checkpoint's verify memo for each platform: the same list for every target on it. */
const PLATFORM_EXTRA = new Map<TargetNode['platform'], readonly unknown[]>();
function platformExtra(platform: TargetNode['platform']): readonly unknown[] {
  let extra = PLATFORM_EXTRA.get(platform);
  if (extra === undefined) PLATFORM_EXTRA.set(platform, (extra = Object.freeze([platform])));
  return extra;
}

/**
 * A target's checkpoint. Once per target of a step whose checkpoint names the node (600 times for
 * P001 on a 500-node plan): nothing is allocated for a part the step does not have (files, TLS
 * probes), and no closure per call (issue 25).
 */
function renderCheckpoint(step: CatalogueStep, target: Target, axl: AxlRequest[], api: ApiRequest[], memos: StepMemos): RenderedCheckpoint {
  const { ctx, node } = target;
  const def = step.checkpoint;
  const cp: RenderedCheckpoint = { question: renderTemplate(def.question, ctx), origin: def.origin };
  // node.name only names the target in an error (thrown, never kept); node.platform decides.
  const verify = memos.verify.getFor(ctx, platformExtra(node.platform), memos.verifyOf, target);
  if (verify !== undefined) cp.verify = verify;
  if (def.certificate) cp.certificate = renderTemplate(def.certificate, ctx);
  if (def.csr) cp.csr = renderTemplate(def.csr, ctx);
  if (def.files !== undefined && def.files.length > 0) {
    const files: FileCheck[] = [];
    for (let i = 0; i < def.files.length; i++) {
      const f = def.files[i]!;
      if (f.when && !evalExpr(parseExpr(f.when), ctx)) continue;
      const file: FileCheck = { kind: f.kind, file: renderTemplate(f.file, ctx) };
      if (f.role) file.role = renderTemplate(f.role, ctx);
      if (f.key) file.key = renderTemplate(f.key, ctx);
      if (f.cert) file.cert = renderTemplate(f.cert, ctx);
      files.push(file);
    }
    if (files.length > 0) cp.files = files;
  }
  if (axl.length > 0) cp.readBack = axl.map((a) => ({ object: a.object, name: a.name, key: a.key, operation: a.readBack, expect: a.fields, ...(a.select ? { select: a.select } : {}) }));
  const tls = renderTls(step, ctx, node);
  // A list of probes is the step's own (renderTls shares only the empty one).
  if (tls.length > 0) cp.tls = tls as TlsProbe[];
  if (api.length > 0) cp.requests = api;
  // The reason the operator answers is shown only where it does: a step whose machine check
  // depends on the inventory (AXL names, an Expressway's admin SSH) falls back to the question.
  const machine = cp.verify ?? cp.certificate ?? cp.files ?? cp.readBack ?? cp.tls ?? cp.requests;
  if (machine === undefined && def.why !== undefined) cp.why = renderTemplate(def.why, ctx);
  return cp;
}

/** The lines whose condition holds in this context, as plain texts (still templates). */
function kept(lines: CondTextDef[], ctx: Record<string, unknown>): string[] {
  return lines.map(condTextParts).filter((t) => !t.when || evalExpr(parseExpr(t.when), ctx)).map((t) => t.text);
}

function renderBackout(step: CatalogueStep, ctx: Record<string, unknown>): RenderedBackout | undefined {
  if (!step.backout) return undefined;
  const r = (t: string) => renderTemplate(t, ctx);
  return { text: kept(step.backout.text, ctx).map(r), commands: step.backout.commands.map(r) };
}

const NO_CHECKS: ApiRequest[] = [];
/** A step without Control Center or CUPI requests, on every target: one shared answer (read only) instead of three objects per target. */
const NO_API: { requests: ApiRequest[]; checks: ApiRequest[] } = Object.freeze({ requests: NO_CHECKS, checks: NO_CHECKS });
const MEMO_MIN_TARGETS = 8;

/**
 * Per-target renderings: the step carries the first; targets carry theirs only when one differs.
 * Each target's value is rendered and compared as it comes, and one equal to the first is let go
 * at once: on a 500-node plan most steps' 600 checkpoints are equal, and holding them all until
 * the last was compared promoted them to the old generation only to be collected there (issue 25).
 * Targets before the first difference carry the first value (the same JSON as their own).
 */
function perTarget<T>(count: number, valueAt: (i: number) => T, assign: (i: number, v: T) => void): T | undefined {
  if (count === 0) return undefined;
  const first = valueAt(0);
  let differs = false;
  for (let i = 1; i < count; i++) {
    const v = valueAt(i);
    if (!differs) {
      // Same as "more than one distinct JSON text", without writing the texts.
      if (jsonEqual(v, first)) continue;
      differs = true;
      for (let j = 0; j < i; j++) assign(j, first);
    }
    assign(i, v);
  }
  return first;
}

/**
 * Render contexts, built once per target node (not once per step: 500-node inventories): the
 * globals with the node's own context over them. Each is a copy of a template made once per set of
 * context keys, its node's values then stored in place: a spread of the globals and the context
 * left ~1.8 KB of garbage per context on the interpreter and baseline tiers `plan` runs on (a new
 * object grown key by key), ~2 MB on a 500-node plan; the template's copy shares its shape and
 * allocates only itself. The same keys in the same order with the same values as the spread.
 */
interface Contexts {
  byNode: Map<TargetNode, Record<string, unknown>>;
  templates: Map<string, Record<string, unknown>>;
  /** Each target group's targets, made once: most of a group's steps target all of it (issue 25). */
  byGroup: Map<string, readonly Target[]>;
}

function newContexts(): Contexts {
  return { byNode: new Map(), templates: new Map(), byGroup: new Map() };
}

function contextOf(node: TargetNode, topo: Topology, contexts: Contexts): Record<string, unknown> {
  let ctx = contexts.byNode.get(node);
  if (ctx) return ctx;
  const own = node.context;
  const keys = Object.keys(own);
  const sig = keys.join('\n');
  let template = contexts.templates.get(sig);
  if (!template) contexts.templates.set(sig, (template = { ...topo.globals, ...own }));
  ctx = { ...template };
  for (let i = 0; i < keys.length; i++) ctx[keys[i]!] = own[keys[i]!];
  contexts.byNode.set(node, ctx);
  return ctx;
}

/** A target of a step: its node and the context its parts render in. */
interface Target {
  node: TargetNode;
  ctx: Record<string, unknown>;
}

/** The step's targets: its group's, those its `where` keeps. Shared between steps: never changed. */
function targetsOf(step: CatalogueStep, topo: Topology, contexts: Contexts): readonly Target[] {
  const group = typeof step.targets === 'string' ? step.targets : step.targets.group;
  let all = contexts.byGroup.get(group);
  if (all === undefined) contexts.byGroup.set(group, (all = Object.freeze((topo.groups[group] ?? []).map((node) => ({ node, ctx: contextOf(node, topo, contexts) })))));
  const where = typeof step.targets === 'string' ? undefined : step.targets.where;
  if (!where) return all;
  const whereExpr = parseExpr(where);
  return all.filter(({ ctx }) => evalExpr(whereExpr, ctx));
}

function planStep(step: CatalogueStep, cat: Catalogue, topo: Topology, fileInfo: FileInfo | undefined, contexts: Contexts, memo: boolean): PlannedStep | undefined {
  if (step.when && !evalExpr(parseExpr(step.when), topo.globals)) return undefined;
  const targets = targetsOf(step, topo, contexts);
  if (targets.length === 0) return undefined;
  const first = targets[0]!;
  const render = (t: string) => renderTemplate(t, first.ctx);
  // A step on a few targets renders faster than it tracks what it reads (the example: 1 to 4).
  const on = memo && targets.length >= MEMO_MIN_TARGETS;
  const memos: StepMemos = {
    checkpoint: new RenderMemo(on),
    verify: new RenderMemo(on),
    verifyOf: (t) => renderVerify(step, t.ctx, t.node),
    commands: new RenderMemo(on),
    axl: new RenderMemo(on),
    gui: new RenderMemo(on),
    backout: new RenderMemo(on),
  };
  try {
    // Made at their length, filled by index: pushed one by one they were copied as they grew.
    const axlByTarget = new Array<AxlRequest[]>(targets.length);
    const apiChecksByTarget = new Array<ApiRequest[]>(targets.length);
    // Each part's rendering, made once for the step and given the target (or its index): a thunk
    // per call was a closure per target and part (RenderMemo.getFor).
    // node.name only names the target in an error (thrown, never memoised).
    const commandsOf = ({ node, ctx }: Target) => {
      const rendered = renderCommands(step, cat, ctx, node.name);
      const pastes = rendered.flatMap((e) => e.dialogue.filter((d) => d.paste !== undefined).map((d) => d.paste!));
      return { exchanges: rendered, commands: rendered.map((e) => e.line), pasteFiles: [...new Set(pastes)].map((p) => (fileInfo ? fileInfo(p) : { path: p })) };
    };
    const axlOf = ({ node, ctx }: Target) => {
      const all = renderAxl(step, ctx, node.name);
      // Checks are read back by the checkpoint only: the action carries the writes.
      return { all, writes: all.filter((r) => r.mode !== 'check') };
    };
    const actions: Action[] = targets.map((t, i) => {
      const { node, ctx } = t;
      const { exchanges, commands, pasteFiles } = memos.commands.getFor(ctx, NO_EXTRA, commandsOf, t);
      const action: Action = { target: node.name, commands, exchanges, pasteFiles };
      const { all: axl, writes } = memos.axl.getFor(ctx, NO_EXTRA, axlOf, t);
      axlByTarget[i] = axl;
      if (writes.length > 0) action.axl = writes;
      if (axl.length > 0) action.axlEndpoint = { host: node.host ?? '', port: node.httpsPort ?? 8443, version: String(lookup(ctx, ['cluster', 'axlVersion'])) };
      const cc = renderControlCenter(step, ctx, node.name);
      // One shared empty list where a target has no checks: the checkpoint memo keys on it.
      apiChecksByTarget[i] = cc.checks.length > 0 ? cc.checks : NO_CHECKS;
      if (cc.requests.length > 0) {
        action.requests = cc.requests;
        // The node's own tomcat: Control Center Services act on the local node only (see controlcenter-soap.ts).
        action.apiEndpoint = { api: 'controlcenter', host: node.host ?? '', port: node.httpsPort ?? 8443 };
      }
      const cupi = renderCupi(step, ctx, node.name);
      if (cupi.checks.length > 0) apiChecksByTarget[i] = [...apiChecksByTarget[i], ...cupi.checks];
      if (cupi.task !== undefined) {
        action.requests = cupi.requests;
        action.cupiTask = cupi.task;
        // Unity Connection's tomcat: CUPI answers on HTTPS 443 [I: the node's httpsPort overrides it].
        action.apiEndpoint = { api: 'cupi', host: node.host ?? '', port: node.httpsPort ?? 443 };
      }
      if (exchanges.length > 0 && step.kind === 'local') {
        // Local steps run in the operator's shell whatever node they concern (e.g. sftp to a CMS
        // node): never mark them with the node's platform, or a runner would type them there.
        action.platform = 'local';
      } else if (exchanges.length > 0) {
        if (node.host) action.host = node.host;
        if (node.platform) action.platform = node.platform;
        if (step.kind === 'ios-config') action.configMode = true;
        if (step.saveConfig) action.saveConfig = true;
      }
      return action;
    });
    const probes = (step.checkpoint.tls ?? []).length > 0;
    const extra: unknown[] = new Array(probes ? 5 : 3);
    const checkpointAt = (i: number) => renderCheckpoint(step, targets[i]!, axlByTarget[i]!, apiChecksByTarget[i]!, memos);
    const guiAt = (i: number) => renderGui(step, targets[i]!.ctx);
    const backoutAt = (i: number) => renderBackout(step, targets[i]!.ctx);
    const planned: PlannedStep = {
      id: step.id,
      slug: step.slug,
      title: render(step.title),
      product: step.product,
      phase: step.phase,
      kind: step.kind,
      summary: render(step.summary),
      disruptive: step.disruptive,
      restarts: step.restarts,
      warnings: kept(step.warnings, first.ctx).map(render),
      requires: step.requires,
      actions,
      instructions: kept(step.instructions, first.ctx).map(render),
      // Besides its context, a checkpoint reads the target's AXL and API requests (the same objects
      // when memoised alike), the node's platform and, for TLS probes only, the node's address and
      // TLS ports (node.name: errors only).
      checkpoint: perTarget(
        targets.length,
        (i) => {
          const { node, ctx } = targets[i]!;
          // One list for the step, filled for each target: the memo reads `extra` and keeps its
          // values, never the list (src/plan/memo.ts), and 600 targets made 600 lists.
          extra[0] = axlByTarget[i];
          extra[1] = apiChecksByTarget[i];
          extra[2] = node.platform;
          if (probes) {
            extra[3] = node.host;
            extra[4] = node.tlsPorts;
          }
          return memos.checkpoint.getFor(ctx, extra, checkpointAt, i);
        },
        (i, v) => (actions[i]!.checkpoint = v),
      )!,
    };
    if (step.source) planned.source = step.source;
    if (step.baseline) planned.baseline = step.baseline;
    const gui = perTarget(targets.length, (i) => memos.gui.getFor(targets[i]!.ctx, NO_EXTRA, guiAt, i), (i, v) => { if (v) actions[i]!.gui = v; });
    if (gui) planned.gui = gui;
    const backout = perTarget(targets.length, (i) => memos.backout.getFor(targets[i]!.ctx, NO_EXTRA, backoutAt, i), (i, v) => { if (v) actions[i]!.backout = v; });
    if (backout) planned.backout = backout;
    return planned;
  } catch (err) {
    if (err instanceof TemplateError) throw new RenderError(step, first.node.name, err.message);
    throw err;
  }
}

export function buildPlan(topo: Topology, cat: Catalogue, opts: BuildOptions): Plan {
  const wantProducts = opts.products && opts.products.length > 0 ? new Set(opts.products) : undefined;
  const wantSteps = opts.steps && opts.steps.length > 0 ? new Set(opts.steps) : undefined;
  const steps: PlannedStep[] = [];
  const contexts = newContexts();
  for (const s of cat.steps) {
    if (wantProducts && !wantProducts.has(s.product)) continue;
    if (wantSteps && !wantSteps.has(s.id) && !wantSteps.has(s.slug)) continue;
    const p = planStep(s, cat, topo, opts.fileInfo, contexts, opts.memo !== false);
    if (p) steps.push(p);
  }
  // Requirements on steps that do not apply to this inventory are dropped; filtered-out steps stay
  // listed so the wizard can still insist on them.
  const applicable = new Set(cat.steps.filter((s) => !s.when || evalExpr(parseExpr(s.when), topo.globals)).map((s) => s.id));
  for (const s of steps) s.requires = s.requires.filter((r) => applicable.has(r));
  const g = topo.globals;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const inventoryHash = opts.inventoryHash;
  return {
    get inventoryHash() {
      return typeof inventoryHash === 'string' ? inventoryHash : inventoryHash();
    },
    catalogueHash: cat.hash,
    title: str(g.title),
    summary: summaryOf(topo),
    steps,
  };
}

function summaryOf(topo: Topology): { label: string; value: string }[] {
  const names = (g: string) => (topo.groups[g] ?? []).map((n) => n.name).join(', ');
  const rows: [string, string][] = [
    ['Domain', String(topo.globals.domain)],
    ['Unified CM publishers', names('cucm-publisher')],
    ['Unified CM nodes', names('cucm-node')],
    ['IM and Presence nodes', names('imp-node')],
    ['Unity Connection nodes', names('cuc-node')],
    ['Expressway-C nodes', names('expc-node')],
    ['Expressway-E nodes', names('expe-node')],
    ['IOS routers', names('ios-router')],
    ['Meeting Server nodes', names('cms-node')],
    ['Meeting Management', names('cmm')],
    ['TMS', names('tms')],
    ['Prime Collaboration Deployment', names('pcd')],
    ['Prime Collaboration Provisioning', names('pcp')],
  ];
  // The releases the inventory names (issue 23): what every release-dependent line was rendered for.
  const releases = (topo.globals.releases ?? []) as { product: string; release: string }[];
  rows.push(...releases.map((r): [string, string] => [`${r.product} release`, r.release]));
  const f = topo.globals.features as Record<string, boolean>;
  const on = Object.entries(f).filter(([, v]) => v).map(([k]) => k);
  const all: [string, string][] = [...rows.filter(([, v]) => v.length > 0), ['Features on', on.join(', ')]];
  return all.map(([label, value]) => ({ label, value }));
}

/** sha256 of one step's rendered lines: resume compares these to flag changed commands. */
export function stepHash(step: PlannedStep): string {
  const h = newSha256();
  for (const a of step.actions) {
    h.update(`${a.target}\0${a.commands.join('\n')}\0`);
    // Only steps with AXL requests hash them, so sessions from before AXL keep their hashes.
    if (a.axl) h.update(`axl\0${a.axl.map((x) => x.readable).join('\n')}\0`);
    // Likewise only steps with API requests hash their bodies (what is sent, exactly).
    if (a.requests) h.update(`api\0${a.requests.map((x) => `${x.method} ${x.path}\n${x.body ?? ''}`).join('\n')}\0`);
  }
  if (step.gui) h.update(JSON.stringify(step.gui));
  return h.digest('hex');
}
