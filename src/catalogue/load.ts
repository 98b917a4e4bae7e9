// Load steps/ and templates/ and prove them consistent before anything is rendered: unknown
// template variables, unknown snippets or parameters, unknown target groups or products,
// requirements on unknown or later steps, and requirement cycles all fail here, with the file
// and the step named. The engine is generic: target groups and their shapes come from the caller.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load as parseYaml } from 'js-yaml';
import type * as z from 'zod/mini';
import { ExitCode, UserError } from '../errors.js';
import { newSha256 } from '../sha256.js';
import { checkExpr } from './expr.js';
import {
  type CommandRefDef,
  type SnippetDef,
  type StepDef,
  catalogueSchemas,
  condTextParts,
  verifyVariants,
} from './schema.js';
import { type Shape, extendShape, isListShape, shapeAt } from './shape.js';
import { checkTemplate, parseEach } from './template.js';

export interface Snippet extends SnippetDef {
  ref: string;
  platform: 'vos' | 'ios' | 'mmp' | 'local' | 'xapi';
}

export interface CatalogueStep extends StepDef {
  phase: string;
  file: string;
}

export interface Catalogue {
  products: { id: string; name: string }[];
  phases: { id: string; title: string }[];
  steps: CatalogueStep[];
  snippets: Map<string, Snippet>;
  hash: string;
}

export class CatalogueError extends UserError {
  constructor(readonly problems: string[]) {
    super(
      `the step catalogue is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` + problems.map((p) => `  ${p}`).join('\n'),
      'This is a defect in steps/ or templates/, not in your inventory.',
      ExitCode.invalidInput,
    );
    this.name = 'CatalogueError';
  }
}

/** Step kinds that execute lines, and the platform their snippets must be written for. */
const KIND_PLATFORM: Record<string, string | undefined> = { cli: 'vos', 'ios-config': 'ios', mmp: 'mmp', local: 'local' };

function zodProblems(file: string, err: z.core.$ZodError): string[] {
  return err.issues.map((i) => `${file}: ${i.path.map(String).join('.')}: ${i.message}`);
}

function readYaml(file: string, text: string, problems: string[]): unknown {
  try {
    // YAML 1.2 core schema; duplicate keys are an error (js-yaml's default).
    return parseYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function loadSnippets(sources: { rel: string; text: string }[], problems: string[]): Map<string, Snippet> {
  const snippets = new Map<string, Snippet>();
  for (const src of sources.filter((x) => x.rel.startsWith('templates/'))) {
    const parsed = catalogueSchemas().templateFile.safeParse(readYaml(src.rel, src.text, problems));
    if (!parsed.success) {
      problems.push(...zodProblems(src.rel, parsed.error));
      continue;
    }
    const base = src.rel.slice('templates/'.length).replace(/\.yaml$/, '');
    for (const [name, sn] of Object.entries(parsed.data.snippets)) {
      snippets.set(`${base}/${name}`, { ...sn, ref: `${base}/${name}`, platform: parsed.data.platform });
    }
  }
  return snippets;
}

/** Every string of a step that is rendered with the target context. */
function stepTexts(s: StepDef): string[] {
  return [
    s.title,
    s.summary,
    ...s.warnings.map((w) => condTextParts(w).text),
    ...s.instructions.map((i) => condTextParts(i).text),
    ...(s.gui ? [...s.gui.path, ...s.gui.fields.flatMap((f) => [f.field, f.value]), ...s.gui.notes] : []),
    s.checkpoint.question,
    // Conditional / per-element argument items, and reads repeated with `each`, are checked with
    // their own bindings (checkVerifyArgs).
    ...verifyVariants(s.checkpoint)
      .filter((v) => v.each === undefined)
      .flatMap((v) => [v.command, ...Object.values(v.args).flat().filter((a) => typeof a === 'string')]),
    ...(s.checkpoint.certificate ? [s.checkpoint.certificate] : []),
    ...(s.checkpoint.csr ? [s.checkpoint.csr] : []),
    ...(s.checkpoint.files ?? []).flatMap((f) => [f.file, ...(f.role ? [f.role] : []), ...(f.key ? [f.key] : []), ...(f.cert ? [f.cert] : [])]),
    ...(s.checkpoint.tls ?? []).flatMap((t) => (typeof t.port === 'string' ? [t.port] : [])),
    ...(s.backout ? [...s.backout.text.map((t) => condTextParts(t).text), ...s.backout.commands] : []),
  ];
}

function eachBinding(each: string | undefined, shape: Shape, where: string, problems: string[]): Shape {
  if (!each) return shape;
  try {
    const { name, path } = parseEach(each);
    const list = shapeAt(shape, path);
    if (!list || !isListShape(list)) {
      problems.push(`${where}: each "${each}": "${path.join('.')}" is not a list`);
      return shape;
    }
    return extendShape(shape, { [name]: list.$list });
  } catch (err) {
    problems.push(`${where}: ${(err as Error).message}`);
    return shape;
  }
}

function checkCommands(step: CatalogueStep, refs: CommandRefDef[], shape: Shape, snippets: Map<string, Snippet>, problems: string[]): void {
  const where = `${step.file} ${step.id}`;
  for (const raw of refs) {
    const ref = typeof raw === 'string' ? { use: raw, with: {} as Record<string, string>, when: undefined, each: undefined } : raw;
    const snippet = snippets.get(ref.use);
    if (!snippet) {
      problems.push(`${where}: unknown snippet "${ref.use}"`);
      continue;
    }
    const want = KIND_PLATFORM[step.kind];
    if (want && snippet.platform !== want) problems.push(`${where}: snippet "${ref.use}" is for ${snippet.platform}, step kind ${step.kind} needs ${want}`);
    if (ref.when) problems.push(...checkExpr(ref.when, shape).map((p) => `${where}: ${p}`));
    const refShape = eachBinding(ref.each, shape, where, problems);
    const missing = snippet.params.filter((p) => !(p in ref.with));
    const extra = Object.keys(ref.with).filter((k) => !snippet.params.includes(k));
    if (missing.length) problems.push(`${where}: snippet "${ref.use}" needs ${missing.join(', ')}`);
    if (extra.length) problems.push(`${where}: snippet "${ref.use}" has no parameter ${extra.join(', ')}`);
    for (const v of Object.values(ref.with)) problems.push(...checkTemplate(v, refShape).map((p) => `${where}: ${p}`));
    const inner = extendShape(refShape, Object.fromEntries(snippet.params.map((p) => [p, 'string' as const])));
    for (const c of snippet.commands) {
      const cw = `${where} (${ref.use})`;
      if (c.when) problems.push(...checkExpr(c.when, inner).map((p) => `${cw}: ${p}`));
      const cs = eachBinding(c.each, inner, cw, problems);
      problems.push(...checkTemplate(c.send, cs).map((p) => `${cw}: ${p}`));
      for (const d of c.dialogue) {
        for (const t of [d.expect, d.answer, d.paste, d.terminator, d.label]) {
          if (t !== undefined) problems.push(...checkTemplate(t, cs).map((p) => `${cw}: ${p}`));
        }
      }
    }
  }
}

/**
 * AXL objects: only on targets whose context names an AXL schema version (the adapter gives
 * Unified CM publishers `cluster.axlVersion`); every expression and value checked like a command.
 */
function checkAxl(step: CatalogueStep, shape: Shape, problems: string[]): void {
  if (step.axl.length === 0) return;
  const where = `${step.file} ${step.id}`;
  // One transport per step: its runner sends either lines over SSH or requests through AXL.
  if (step.commands.length > 0) problems.push(`${where}: a step sends either commands or AXL requests, not both`);
  if (!shapeAt(shape, ['cluster', 'axlVersion'])) problems.push(`${where}: AXL objects need a target that speaks AXL (one with cluster.axlVersion)`);
  for (const o of step.axl) {
    const ow = `${where} (AXL ${o.object})`;
    if (o.when) problems.push(...checkExpr(o.when, shape).map((p) => `${ow}: ${p}`));
    const os = eachBinding(o.each, shape, ow, problems);
    const names = new Set<string>();
    for (const f of o.fields) {
      if (names.has(f.name) && !f.when) problems.push(`${ow}: field ${f.name} twice`);
      names.add(f.name);
      if (f.when) problems.push(...checkExpr(f.when, os).map((p) => `${ow}: ${p}`));
      problems.push(...checkTemplate(f.value, os).map((p) => `${ow}: ${p}`));
    }
    if (o.select) {
      for (const f of o.select.criteria) {
        if (f.when) problems.push(...checkExpr(f.when, os).map((p) => `${ow} select: ${p}`));
        problems.push(...checkTemplate(f.value, os).map((p) => `${ow} select: ${p}`));
      }
      for (const t of [o.select.waveSize, o.select.max]) problems.push(...checkTemplate(t, os).map((p) => `${ow} select: ${p}`));
      const ms = o.select.models === undefined ? undefined : shapeAt(os, o.select.models.split('.'));
      if (o.select.models !== undefined && (ms === undefined || !isListShape(ms))) problems.push(`${ow} select: models ${o.select.models} is not a known list`);
    }
  }
}

/**
 * Control Center Services: one transport per step (no SSH lines, no AXL objects beside it), on
 * targets that say their role (`node.publisher`); the node name is a template like any value.
 */
function checkControlCenter(step: CatalogueStep, shape: Shape, problems: string[]): void {
  const cc = step.controlcenter;
  if (cc === undefined) return;
  const where = `${step.file} ${step.id} (controlcenter)`;
  if (step.commands.length > 0 || step.axl.length > 0) problems.push(`${where}: a step sends either commands, AXL requests or Control Center requests, not two of them`);
  if (!shapeAt(shape, ['node', 'publisher'])) problems.push(`${where}: needs targets that say whether they are the publisher (node.publisher)`);
  problems.push(...checkTemplate(cc.nodeName, shape).map((p) => `${where}: ${p}`));
}

/**
 * CUPI: one transport per step, on Unity Connection targets (`node` in their context); list
 * arguments name lists the context has, names are templates like any value.
 */
function checkCupi(step: CatalogueStep, shape: Shape, problems: string[]): void {
  const c = step.cupi;
  if (c === undefined) return;
  const where = `${step.file} ${step.id} (cupi)`;
  if (step.commands.length > 0 || step.axl.length > 0 || step.controlcenter !== undefined) problems.push(`${where}: a step sends either commands, AXL, Control Center or CUPI requests, not two of them`);
  if (!shapeAt(shape, ['node', 'host'])) problems.push(`${where}: needs a Unity Connection node target (node.host)`);
  const lists = c.task === 'port-group-servers' ? [c.tftp] : c.task === 'restriction-patterns' ? [c.blocked, c.tables] : [];
  for (const l of lists) {
    const sh = shapeAt(shape, l.split('.'));
    if (sh === undefined || !isListShape(sh)) problems.push(`${where}: ${l} is not a list in the target context`);
  }
  if (c.task === 'port-group-security' || c.task === 'port-group-servers') problems.push(...checkTemplate(c.portGroup, shape).map((p) => `${where}: ${p}`));
}

/**
 * TLS probes connect to the target node's own address: only targets that have one (a `node` with
 * an FQDN in their context, i.e. an inventory node, not the operator's machine).
 */
/** Verification argument items with `each` / `when`: the expression and the value in the item's scope. */
function checkVerifyArgs(step: CatalogueStep, shape: Shape, problems: string[]): void {
  const where = `${step.file} ${step.id} (verify)`;
  for (const v of verifyVariants(step.checkpoint)) if (v.when) problems.push(...checkExpr(v.when, shape).map((p) => `${where}: ${p}`));
  for (const t of [...step.warnings, ...step.instructions, ...(step.backout?.text ?? [])]) {
    const { when } = condTextParts(t);
    if (when) problems.push(...checkExpr(when, shape).map((p) => `${step.file} ${step.id}: ${p}`));
  }
  for (const v of verifyVariants(step.checkpoint)) {
    // A read repeated per element (`each`): its command and arguments see the element's name.
    const scope = eachBinding(v.each, shape, where, problems);
    if (v.each !== undefined) {
      for (const t of [v.command, ...Object.values(v.args).flat().filter((a) => typeof a === 'string')]) problems.push(...checkTemplate(t, scope).map((p) => `${where}: ${p}`));
    }
    for (const item of Object.values(v.args).flat()) {
      if (typeof item === 'string') continue;
      if (item.when) problems.push(...checkExpr(item.when, scope).map((p) => `${where}: ${p}`));
      const inner = eachBinding(item.each, scope, where, problems);
      problems.push(...checkTemplate(item.value, inner).map((p) => `${where}: ${p}`));
    }
  }
}

function checkTls(step: CatalogueStep, shape: Shape, problems: string[]): void {
  const probes = step.checkpoint.tls ?? [];
  if (probes.length === 0) return;
  const where = `${step.file} ${step.id}`;
  if (!shapeAt(shape, ['node', 'fqdn'])) problems.push(`${where}: a TLS probe needs targets that are inventory nodes (node.fqdn)`);
  for (const t of probes) if (t.when) problems.push(...checkExpr(t.when, shape).map((p) => `${where} (TLS probe): ${p}`));
}

/** File checks: their conditions are expressions over the target's context like any other. */
function checkFileChecks(step: CatalogueStep, shape: Shape, problems: string[]): void {
  const where = `${step.file} ${step.id}`;
  for (const f of step.checkpoint.files ?? []) if (f.when) problems.push(...checkExpr(f.when, shape).map((p) => `${where} (file check): ${p}`));
}

function checkRequires(steps: CatalogueStep[], problems: string[]): void {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  for (const [i, s] of steps.entries()) {
    for (const r of s.requires) {
      const j = index.get(r);
      if (j === undefined) problems.push(`${s.file} ${s.id}: requires unknown step ${r}`);
      else if (j >= i) problems.push(`${s.file} ${s.id}: requires ${r}, which comes later in the catalogue (order is execution order)`);
    }
  }
  // Cycle detection (defensive: the order rule above already excludes cycles through earlier steps).
  const state = new Map<string, 1 | 2>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      problems.push(`requirement cycle: ${[...trail, id].join(' → ')}`);
      return;
    }
    state.set(id, 1);
    for (const r of byId.get(id)?.requires ?? []) if (byId.has(r)) visit(r, [...trail, id]);
    state.set(id, 2);
  };
  for (const s of steps) visit(s.id, []);
}

/**
 * The catalogue's source files in hash order: products, templates, phases (each sorted), listed
 * but not read. The one listing both the hash and the compiled catalogue's fingerprints use.
 */
export function catalogueSourceFiles(root: string): { rel: string; path: string }[] {
  const stepsDir = join(root, 'steps');
  const tplDir = join(root, 'templates');
  const file = (dir: string, rel: string, f: string) => ({ rel: `${rel}/${f}`, path: join(dir, f) });
  return [
    file(stepsDir, 'steps', 'products.yaml'),
    ...readdirSync(tplDir).filter((n) => n.endsWith('.yaml')).sort().map((f) => file(tplDir, 'templates', f)),
    ...readdirSync(stepsDir).filter((n) => /^phase-.*\.yaml$/.test(n)).sort().map((f) => file(stepsDir, 'steps', f)),
  ];
}

/** The catalogue's source files in hash order, read. */
export function catalogueSources(root: string): { rel: string; path: string; text: string }[] {
  return catalogueSourceFiles(root).map((f) => ({ ...f, text: readFileSync(f.path, 'utf8') }));
}

/** sha256 identifying the catalogue sources (Catalogue.hash). */
export function catalogueHash(sources: { rel: string; text: string }[]): string {
  const h = newSha256();
  for (const src of sources) h.update(src.rel === 'steps/products.yaml' ? src.text : `${src.rel.slice(src.rel.indexOf('/') + 1)}\0${src.text}\0`);
  return h.digest('hex');
}

export interface LoadOptions {
  /** Target groups the inventory adapter provides, with the full context shape of each. */
  shapes: Record<string, Shape>;
}

export function loadCatalogue(root: string, opts: LoadOptions): Catalogue {
  const sources = catalogueSources(root);
  const problems: string[] = [];
  const productsSrc = sources[0]!;
  const products = catalogueSchemas().productsFile.safeParse(readYaml(productsSrc.rel, productsSrc.text, problems));
  if (!products.success) problems.push(...zodProblems('steps/products.yaml', products.error));
  const productIds = new Set(products.success ? products.data.products.map((p) => p.id) : []);

  const snippets = loadSnippets(sources, problems);
  const steps: CatalogueStep[] = [];
  const phases: Catalogue['phases'] = [];
  for (const src of sources.filter((x) => x.rel.startsWith('steps/phase-'))) {
    const parsed = catalogueSchemas().stepFile.safeParse(readYaml(src.rel, src.text, problems));
    if (!parsed.success) {
      problems.push(...zodProblems(src.rel, parsed.error));
      continue;
    }
    if (!phases.some((p) => p.id === parsed.data.phase)) phases.push({ id: parsed.data.phase, title: parsed.data.title });
    for (const st of parsed.data.steps) steps.push({ ...st, phase: parsed.data.phase, file: src.rel });
  }

  const seenId = new Set<string>();
  const seenSlug = new Set<string>();
  let prev = '';
  for (const s of steps) {
    const where = `${s.file} ${s.id}`;
    if (seenId.has(s.id)) problems.push(`${where}: duplicate step id`);
    if (seenSlug.has(s.slug)) problems.push(`${where}: duplicate slug ${s.slug}`);
    if (s.id <= prev) problems.push(`${where}: step ids must ascend in execution order (after ${prev})`);
    seenId.add(s.id);
    seenSlug.add(s.slug);
    prev = s.id;
    if (!productIds.has(s.product)) problems.push(`${where}: unknown product "${s.product}"`);
    const group = typeof s.targets === 'string' ? s.targets : s.targets.group;
    const shape = opts.shapes[group];
    if (!shape) {
      problems.push(`${where}: unknown target group "${group}"`);
      continue;
    }
    if (s.when) problems.push(...checkExpr(s.when, shape).map((p) => `${where}: ${p}`));
    if (typeof s.targets !== 'string' && s.targets.where) problems.push(...checkExpr(s.targets.where, shape).map((p) => `${where}: ${p}`));
    for (const t of stepTexts(s)) problems.push(...checkTemplate(t, shape).map((p) => `${where}: ${p}`));
    for (const f of s.gui?.fields ?? []) if (f.when) problems.push(...checkExpr(f.when, shape).map((p) => `${where}: ${p}`));
    if (s.saveConfig && s.kind !== 'ios-config') problems.push(`${where}: saveConfig is for ios-config steps`);
    checkCommands(s, s.commands, shape, snippets, problems);
    checkAxl(s, shape, problems);
    checkControlCenter(s, shape, problems);
    checkCupi(s, shape, problems);
    checkTls(s, shape, problems);
    checkVerifyArgs(s, shape, problems);
    checkFileChecks(s, shape, problems);
  }
  checkRequires(steps, problems);
  if (problems.length > 0) throw new CatalogueError(problems);
  return {
    products: products.success ? products.data.products : [],
    phases,
    steps,
    snippets,
    hash: catalogueHash(sources),
  };
}
