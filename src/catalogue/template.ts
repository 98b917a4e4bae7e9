// Strict string templates: `{{ path }}` and `{{ path | join(", ") }}`. A missing or empty value
// is an error, never an empty string: a blank where a trustpoint name should be is a line pushed
// to a router (liquidjs renders missing variables as "" by default; we refuse to).
import { lookup } from './expr.js';
import { type Shape, isListShape, shapeAt } from './shape.js';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const EXPR = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?:\s*\|\s*join\(\s*"([^"]*)"\s*\))?$/;

interface Placeholder {
  path: string[];
  join?: string;
  raw: string;
}

function parsePlaceholder(inner: string, tpl: string): Placeholder {
  const m = EXPR.exec(inner);
  if (!m || m[1] === undefined) throw new Error(`bad placeholder "{{${inner}}}" in "${tpl}"`);
  return { path: m[1].split('.'), join: m[2], raw: inner };
}

export function placeholders(tpl: string): Placeholder[] {
  return [...tpl.matchAll(PLACEHOLDER)].map((m) => parsePlaceholder(m[1] ?? '', tpl));
}

/** Load-time check: every placeholder names a variable the shape declares, lists only with join. */
export function checkTemplate(tpl: string, shape: Shape): string[] {
  const problems: string[] = [];
  let phs: Placeholder[];
  try {
    phs = placeholders(tpl);
  } catch (err) {
    return [(err as Error).message];
  }
  for (const ph of phs) {
    const s = shapeAt(shape, ph.path);
    if (s === undefined) problems.push(`unknown variable "${ph.path.join('.')}" in "${tpl}"`);
    else if (isListShape(s) && ph.join === undefined)
      problems.push(`list "${ph.path.join('.')}" needs | join("…") in "${tpl}"`);
    else if (!isListShape(s) && typeof s === 'object') problems.push(`"${ph.path.join('.')}" is not a value in "${tpl}"`);
  }
  return problems;
}

export class TemplateError extends Error {}

// The placeholder's path, joined only for an error: a 500-node plan renders millions of them.
function scalar(v: unknown, path: readonly string[], tpl: string): string {
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new TemplateError(`no value for "${path.join('.')}" in "${tpl}"`);
}

// Templates are rendered once per target (hundreds of nodes in a large inventory): split each
// distinct template into literal text and placeholders only once.
type Part = string | Placeholder;
const compiled = new Map<string, Part[]>();

function compile(tpl: string): Part[] {
  let parts = compiled.get(tpl);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of tpl.matchAll(PLACEHOLDER)) {
      if (m.index > last) parts.push(tpl.slice(last, m.index));
      parts.push(parsePlaceholder(m[1] ?? '', tpl));
      last = m.index + m[0].length;
    }
    if (last < tpl.length) parts.push(tpl.slice(last));
    compiled.set(tpl, parts);
  }
  return parts;
}

export function renderTemplate(tpl: string, ctx: unknown): string {
  let out = '';
  const parts = compile(tpl);
  // Indexed: see lookup() in expr.ts (no iterator per part without TurboFan).
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const v = lookup(ctx, part.path);
    if (part.join !== undefined) {
      if (!Array.isArray(v) || v.length === 0) throw new TemplateError(`no values for list "${part.path.join('.')}" in "${tpl}"`);
      out += v.map((x) => scalar(x, part.path, tpl)).join(part.join);
    } else out += scalar(v, part.path, tpl);
  }
  return out;
}

/** `each: "peer in node.ucmPeers"` → { name: 'peer', path: ['node','ucmPeers'] } */
export function parseEach(src: string): { name: string; path: string[] } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([A-Za-z_][A-Za-z0-9_.]*)\s*$/.exec(src);
  if (!m || m[1] === undefined || m[2] === undefined) throw new Error(`bad each "${src}" (expected "item in path")`);
  return { name: m[1], path: m[2].split('.') };
}
