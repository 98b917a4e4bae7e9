// Helpers shared by the text and markdown views. Both views show the same facts from the same
// Plan; only the typography differs.
import type { Action, DialogueEntry, PasteFileInfo, Plan, PlannedStep, RenderedCheckpoint } from '../types.js';

/** Consecutive runs of steps with the same product: grouped by product without breaking order. */
export function productRuns(plan: Plan): { product: string; steps: PlannedStep[] }[] {
  const runs: { product: string; steps: PlannedStep[] }[] = [];
  for (const s of plan.steps) {
    const last = runs[runs.length - 1];
    if (last && last.product === s.product) last.steps.push(s);
    else runs.push({ product: s.product, steps: [s] });
  }
  return runs;
}

export function shortHash(h: string | undefined): string {
  return h ? h.slice(0, 12) : '';
}

export function describePaste(d: DialogueEntry, files: PasteFileInfo[]): string {
  if (d.pasteAtRuntime) return `paste ${d.label ?? 'the PEM file'} (chosen at run time)`;
  const info = files.find((f) => f.path === d.paste);
  const fp = info?.sha256 ? `sha256 ${info.sha256}` : 'file not present yet; fingerprint shown at run time';
  return `paste ${d.label ? `${d.label} from ` : ''}${d.paste ?? ''} (${fp})`;
}

/** One line describing a dialogue entry: what the device asks and what is sent back. */
export function describeDialogue(d: DialogueEntry, files: PasteFileInfo[]): string {
  const response =
    d.paste !== undefined || d.pasteAtRuntime
      ? `${describePaste(d, files)}${d.terminator !== undefined ? `, then ${d.terminator === '' ? 'a blank line' : `"${d.terminator}"`}` : ''}`
      : d.secret
        ? 'answer with the secret (asked at run time, never shown)'
        : `answer "${d.answer ?? ''}"`;
  return `device asks "${d.expect}" → ${response}`;
}

export function targetLabel(a: Action): string {
  if (a.platform === 'local') return a.target === 'operator' ? 'your machine' : `your machine (for ${a.target})`;
  return a.host ? `${a.target} (${a.host}${a.platform ? `, ${a.platform}` : ''})` : a.target;
}

/** Where a target's AXL requests go, for people: the URL and the schema version. */
export function axlLabel(a: Action): string {
  const e = a.axlEndpoint;
  return e ? `${a.target} (https://${e.host}:${e.port}/axl/, AXL schema ${e.version})` : a.target;
}

/** The read-back a checkpoint does, in one line per object. */
export function readBackLines(cp: RenderedCheckpoint): string[] {
  return (cp.readBack ?? []).map((r) =>
    r.select
      ? `${r.select.list} ${r.name} again, then ${r.operation} of each listed (${r.expect.map((f) => f.name).join(', ')}${r.expect.some((f) => f.name === 'certificateOperation') ? '; an LSC pending or Upgrade Success passes' : ''})`
      : r.object === 'ServiceParameter'
        ? // A parameter may be read back only (never written): its expected value is shown here.
          `${[r.operation, ...r.key.map((k) => `${k}=${JSON.stringify(r.expect.find((f) => f.name === k)?.value ?? '')}`)].join(' ')}, expecting value=${JSON.stringify(r.expect.find((f) => f.name === 'value')?.value ?? '')}`
        : `${[r.operation, ...r.key.map((k) => `${k}=${JSON.stringify(r.expect.find((f) => f.name === k)?.value ?? '')}`)].join(' ')}, compared field by field`,
  );
}

export function warningsOf(s: PlannedStep): string[] {
  const out: string[] = [];
  if (s.disruptive) out.push('Disruptive: asks for typed confirmation before it runs.');
  if (s.restarts.length) out.push(`Restarts: ${s.restarts.join(', ')}.`);
  out.push(...s.warnings);
  return out;
}

/**
 * The TLS probes a checkpoint makes, one line each: "TLS 192.0.2.70:443 (SNI us-cmm.ent-pa.com),
 * chain to the enterprise root, names, validity, key; rules of cmm/server".
 */
export function tlsLines(cp: RenderedCheckpoint): string[] {
  return (cp.tls ?? []).map((t) => {
    const how = [...(t.servername !== undefined ? [`SNI ${t.servername}`] : []), ...(t.starttls !== undefined ? [`STARTTLS ${t.starttls}`] : [])];
    return `TLS ${t.host}:${t.port}${how.length ? ` (${how.join(', ')})` : ''}: chain to the enterprise root, names, validity, key${t.role !== undefined ? `; rules of ${t.role}` : ''}`;
  });
}

/** The `cert check` line of a certificate checkpoint, with the CSR it must answer when the step names one. */
export function certificateCommand(cp: RenderedCheckpoint): string | undefined {
  if (cp.certificate === undefined) return undefined;
  const csr = cp.csr === undefined ? '' : ` --csr ${cp.csr === 'ask' ? '<the CSR it answers>' : cp.csr}`;
  return `collabsec cert check --for ${cp.certificate} <file>${csr}`;
}

/** The local file checks of a checkpoint, one line each (files in the session work folder). */
export function fileCheckLines(cp: RenderedCheckpoint): string[] {
  return (cp.files ?? []).map((f) => {
    if (f.kind === 'key') return `${f.file}: a private RSA key of at least 2048 bits, readable by its owner only`;
    if (f.kind === 'csr') return `${f.file}: a CSR signed by its own key with the names of ${f.role ?? '?'}${f.key !== undefined ? `, made from ${f.key}` : ''}`;
    return `${f.file}: opens with the export password (COLLABSEC_EXPORT_PASSWORD or the one typed for the step) and holds ${f.key ?? '?'} with ${f.cert ?? '?'}`;
  });
}
