// CMS MMP service commands of the chapter (seed-outline S085–S091, cli-facts §3): listen, certs,
// trust, enable/disable/restart per service, and the database cluster commands.
import { compareVersions } from '../catalogue/version.js';
import { CMS_2X_ONLY, CMS_SERVICES, WB3_C2W, keyMatches, type CmsServiceState, type CmsState } from './cms.js';
import type { Term } from './term.js';

/** The SUCCESS:/FAILURE: lines printed when a service is enabled or restarted (cli-facts §3). */
function enableChecks(state: CmsState, svc: CmsServiceState): string[] {
  if (!svc.certs || svc.certs.length < 2) {
    return svc.listen ? ['FAILURE: TLS port set but no certificates configured'] : []; // cli-facts §3
  }
  const [key, cert] = svc.certs;
  return keyMatches(state, key ?? '', cert ?? '')
    ? ['SUCCESS: Key and certificate pair match'] // cli-facts §3
    : ['FAILURE: Key and certificate pair do not match']; // [I]
}

function missing(state: CmsState, files: string[]): string | undefined {
  return files.find((f) => !state.files.has(f));
}

/**
 * The bare `webbridge3`: [I] field names — no public transcript of it was found; the parser's
 * `HTTPS Key file` / `HTTPS Full chain certificate file` and the HTTPS / C2W split follow the
 * command set (`webbridge3 https certs <key> <full chain>`, `webbridge3 c2w certs|trust|listen`;
 * cli-facts §3, Cisco Live CMS lab).
 */
function showWebBridge3(https: CmsServiceState, c2w: CmsServiceState): string[] {
  return [
    `Enabled                              : ${https.enabled ? 'true' : 'false'}`,
    `HTTPS listening ports and interfaces : ${https.listen ?? 'none'}`,
    `HTTPS Key file                       : ${https.certs?.[0] ?? 'none'}`,
    `HTTPS Full chain certificate file    : ${https.certs?.[1] ?? 'none'}`,
    'HTTP redirect                        : Disabled',
    `C2W listening ports and interfaces   : ${c2w.listen ?? 'none'}`,
    `C2W Key file                         : ${c2w.certs?.[0] ?? 'none'}`,
    `C2W Full chain certificate file      : ${c2w.certs?.[1] ?? 'none'}`,
    `C2W trust bundle                     : ${c2w.trust?.join(' ') ?? 'none'}`,
  ];
}

function show(name: string, svc: CmsServiceState): string[] {
  // Cisco TAC 221729 ("Configure Example of CMS Edge", Verify): the bare `webadmin` and
  // `callbridge` outputs, field by field; the later callbridge trust lines are left out.
  if (name === 'webadmin') {
    const [iface, port] = (svc.listen ?? '').split(' ');
    return [
      `Enabled                 : ${svc.enabled ? 'true' : 'false'}`,
      `TLS listening interface : ${iface || 'none'}`,
      `TLS listening port      : ${port ?? 'none'}`,
      `Key file                : ${svc.certs?.[0] ?? 'none'}`,
      `Certificate file        : ${svc.certs?.[1] ?? 'none'}`,
      'HTTP redirect           : Disabled',
      // [I] the STATUS text of a disabled Web Admin
      `STATUS                  : ${svc.enabled ? 'webadmin running' : 'webadmin not running'}`,
    ];
  }
  if (name === 'callbridge') {
    // No Enabled line: the Call Bridge is always on (TAC 221729).
    return [
      `Listening interfaces  : ${svc.listen ?? 'none'}`,
      'Preferred interface   : none',
      `Key file              : ${svc.certs?.[0] ?? 'none'}`,
      `Certificate file      : ${svc.certs?.[1] ?? 'none'}`,
      'Address               : none',
      `C2W trusted certs                   : ${svc.trust?.join(' ') ?? 'none'}`,
    ];
  }
  // [I] the 2.x XMPP / Web Bridge layout: the fields of TAC 217320's bare `streamer` output.
  return [
    `Enabled                 : ${svc.enabled ? 'true' : 'false'}`,
    `Interface whitelist     : ${svc.listen ?? 'none'}`,
    `Key file                : ${svc.certs?.[0] ?? 'none'}`,
    `Certificate file        : ${svc.certs?.[1] ?? 'none'}`,
    ...(svc.certs?.[2] ? [`CA Bundle file          : ${svc.certs[2]}`] : []),
    ...(svc.trust ? [`Trust bundle            : ${svc.trust.join(' ')}`] : []),
  ];
}

function database(state: CmsState, term: Term, args: string[]): boolean {
  const db = state.database;
  const [sub, ...rest] = args;
  if (sub === 'certs' && (rest.length === 5 || rest.length === 3)) {
    // seed-outline S089 (server: 5 files) / S090 (client: 3 files)
    const gone = missing(state, rest);
    if (gone) term.writeLines([`FAILURE: ${gone} not found`]); // [I]
    else db.certs = rest;
    return true;
  }
  if (sub === 'localnode' && rest[0]) { db.localnode = rest[0]; return true; }
  if (sub === 'initialize' || sub === 'join' || sub === 'connect') {
    if (!db.certs) { term.writeLines(['FAILURE: database cluster certificates not configured']); return true; } // [I]
    db.mode = sub === 'initialize' ? 'initialized' : sub === 'join' ? 'joined' : 'connected';
    db.peer = rest[0];
    return true;
  }
  if (sub === 'status') {
    // [I] status layout (seed-outline S091 check)
    term.writeLines([
      `Status              : ${db.mode === 'none' ? 'Disabled' : 'Enabled'}`,
      `Mode                : ${db.mode}`,
      `Interface           : ${db.localnode ?? 'none'}`,
      `Certificates        : ${db.certs ? db.certs.join(' ') : 'none'}`,
    ]);
    return true;
  }
  return false;
}

/** Handles one service command; false when the line is not one. */
export function cmsServiceCommand(state: CmsState, term: Term, args: string[]): boolean {
  const [name, sub, ...rest] = args;
  if (name === 'database' && sub === 'cluster') return database(state, term, rest);
  if (!name || !CMS_SERVICES.includes(name)) return false;
  // 3.0 removed the XMPP server and the first Web Bridge (TAC 217062): unknown commands there.
  if (compareVersions(state.release, '3') >= 0 && CMS_2X_ONLY.includes(name)) return false;
  const main = state.services[name]!;
  const c2w = state.services[WB3_C2W]!;
  if (sub === undefined) { term.writeLines(name === 'webbridge3' ? showWebBridge3(main, c2w) : show(name, main)); return true; }
  // webbridge3 nests its listeners: `https certs|listen …` (the browsers') and `c2w certs|listen|trust …`
  // (the Call Bridges'), each with its own pair (cli-facts §3); enable/restart act on both.
  const nested = name === 'webbridge3' && (sub === 'https' || sub === 'c2w');
  const svc = nested && sub === 'c2w' ? c2w : main;
  const words = nested ? rest : [sub, ...rest];
  const [verb, ...params] = words;
  switch (verb) {
    case 'listen':
      svc.listen = params.join(' ');
      return true;
    case 'certs': {
      if (params[0] === 'none') { svc.certs = undefined; return true; } // seed-outline S087
      const gone = params.length < 2 ? 'certificate' : missing(state, params);
      if (gone) term.writeLines([`FAILURE: ${gone} not found`]); // [I]
      else svc.certs = params;
      return true;
    }
    case 'trust': {
      const files = params[0] === 'c2w' ? params.slice(1) : params; // callbridge trust c2w <bundle> (3.x)
      const gone = missing(state, files);
      if (gone) term.writeLines([`FAILURE: ${gone} not found`]); // [I]
      else svc.trust = files;
      return true;
    }
    case 'domain':
      svc.domain = params[0];
      return true;
    case 'enable':
    case 'restart': {
      // Web Bridge 3 checks the HTTPS pair and, once configured, the C2W pair [I: one line per pair].
      const lines = [...enableChecks(state, svc), ...(name === 'webbridge3' && c2w.certs ? enableChecks(state, c2w) : [])];
      term.writeLines(lines);
      svc.enabled = !lines.some((l) => l.startsWith('FAILURE:'));
      return true;
    }
    case 'disable':
      svc.enabled = false;
      return true;
    default:
      return false;
  }
}
