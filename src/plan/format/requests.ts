// How the views show requests to product APIs besides AXL (Plan `requests`: Control Center
// Services SOAP, later Unity Connection CUPI REST), whatever the API: where they go, one readable
// line per request and what the runner does with it. The raw body is in `--format json` only.
import type { Action, ApiName, ApiRequest, RenderedCheckpoint } from '../types.js';

const API_NAMES: Record<ApiName, string> = { controlcenter: 'Control Center Services', cupi: 'Unity Connection CUPI' };

export function apiName(api: ApiName): string {
  return API_NAMES[api];
}

/** Where a target's requests go, for people: `Control Center Services on us-cm-pub (https://192.0.2.10:8443)`. */
export function apiLabel(a: Action): string {
  const e = a.apiEndpoint;
  return e ? `${apiName(e.api)} on ${a.target} (https://${e.host}:${e.port})` : a.target;
}

/** What the runner does with a request, in one line after it. */
export function requestNote(r: ApiRequest): string {
  return r.mode === 'check'
    ? 'read only: state already in place is recorded and the write after it is not sent'
    : 'sent only when the read before it shows it is needed; an answer lost after sending leaves the step in doubt (read first on resume, never sent again blindly)';
}

/** One line per request: the readable form (`POST /path` is shown once per target by the label). */
export function requestLines(requests: readonly ApiRequest[]): { line: string; note: string }[] {
  return requests.map((r) => ({ line: r.readable, note: requestNote(r) }));
}

/** The checkpoint's read-only API checks, one line each. */
export function apiCheckLines(cp: RenderedCheckpoint): string[] {
  return (cp.requests ?? []).map((r) => `${apiName(r.api)}: ${r.readable}`);
}
