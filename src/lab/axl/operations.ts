// The simulator's behaviour per verb, on the in-memory state. Cited where a source says it,
// [I] where inferred: a schema-valid fake is not Unified CM, so business rules (defaults filled
// in, dependent fields, what apply/reset do to devices) are not invented — objects are kept as
// sent, and apply/reset/restart only check that the object exists and record the event.
import { toValue, type AxlRecord, type AxlValue, type XmlElement } from '../../transport/axl/index.js';
import { AXL_OBJECTS, keyFields, resolveOperation } from './objects.js';
import { duplicate, notFound, soapFault, success, type Reply } from './replies.js';
import { identityOf, nameOf, type AxlState, type StoredObject } from './state.js';

/** SQL LIKE as AXL's searchCriteria use it: `%` any run, `_` one character; case-insensitive [I]. */
export function likeToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

function text(v: AxlValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function recordOf(el: XmlElement): AxlRecord {
  const v = toValue(el);
  return typeof v === 'string' ? {} : (v as AxlRecord);
}

/** The fields kept in a response: all, or those named by returnedTags (name always) [I]. */
function returned(o: StoredObject, tags: AxlRecord | undefined): AxlRecord {
  const out: AxlRecord = { '@uuid': o.uuid };
  const keys = tags === undefined || Object.keys(tags).length === 0 ? Object.keys(o.fields) : Object.keys(tags);
  for (const k of keys) if (k in o.fields) out[k] = o.fields[k]!;
  return out;
}

/**
 * The object a get/update/remove/apply/reset request names: by its key fields (`name` for most
 * types, all of processNodeName, name and service for a service parameter, none for the LDAP
 * authentication), or by `uuid`.
 */
function target(state: AxlState, type: string, req: AxlRecord): StoredObject | undefined {
  const key = keyFields(type);
  if (key.every((k) => text(req[k]) !== undefined)) return state.find(type, identityOf(type, req));
  const uuid = text(req.uuid);
  return uuid !== undefined ? state.byUuid(type, uuid) : undefined;
}

export function handleOperation(state: AxlState, op: XmlElement, ns: string): Reply {
  const operation = op.local;
  const resolved = resolveOperation(operation);
  // [I] Unified CM answers an operation it does not have with a SOAP fault; this lab keeps only the objects above.
  if (!resolved) return soapFault(`lab: ${operation} is not simulated (objects: ${AXL_OBJECTS.map((o) => o.type).join(', ')})`);
  const { verb, object } = resolved;
  const req = recordOf(op);
  switch (verb) {
    case 'add': {
      const fields = req[object.tag];
      const name = typeof fields === 'object' && !Array.isArray(fields) ? text(fields.name) : undefined;
      if (name === undefined || typeof fields !== 'object' || Array.isArray(fields)) return soapFault(`lab: ${operation} without <${object.tag}><name>`);
      if (state.find(object.type, name)) return duplicate(operation);
      const uuid = state.put(object.type, fields);
      state.events.push({ operation, type: object.type, name });
      return success(operation, ns, uuid);
    }
    case 'get': {
      const o = target(state, object.type, req);
      if (!o) return notFound(operation, object.display);
      const tags = req.returnedTags;
      return success(operation, ns, { [object.tag]: returned(o, typeof tags === 'object' && !Array.isArray(tags) ? tags : undefined) });
    }
    case 'list': {
      const criteria = req.searchCriteria;
      const tags = req.returnedTags;
      const crit = typeof criteria === 'object' && !Array.isArray(criteria) ? criteria : {};
      let hits = state.list(object.type).filter((o) =>
        Object.entries(crit).every(([k, pattern]) => typeof pattern !== 'string' || likeToRegExp(pattern).test(text(o.fields[k]) ?? '')),
      );
      const skip = Number(text(req.skip) ?? 0);
      const first = text(req.first);
      hits = hits.slice(skip, first === undefined ? undefined : skip + Number(first));
      const items = hits.map((o) => returned(o, typeof tags === 'object' && !Array.isArray(tags) ? tags : undefined));
      // An empty list is an empty <return/> (AXLSoap.xsd List…Res: minOccurs 0).
      return success(operation, ns, items.length === 0 ? '' : { [object.tag]: items });
    }
    case 'update': {
      const o = target(state, object.type, req);
      if (!o) return notFound(operation, object.display);
      const oldName = nameOf(o);
      const newName = text(req.newName);
      if (newName !== undefined && newName.toLowerCase() !== oldName.toLowerCase() && state.find(object.type, newName)) return duplicate(operation);
      for (const [k, v] of Object.entries(req)) if (k !== 'name' && k !== 'uuid' && k !== 'newName') o.fields[k] = v;
      if (newName !== undefined) state.rename(object.type, oldName, newName);
      state.events.push({ operation, type: object.type, name: newName ?? oldName });
      return success(operation, ns, o.uuid);
    }
    case 'remove': {
      const o = target(state, object.type, req);
      if (!o) return notFound(operation, object.display);
      state.remove(object.type, nameOf(o));
      state.events.push({ operation, type: object.type, name: nameOf(o) });
      return success(operation, ns, o.uuid);
    }
    default: {
      // apply / reset / restart: the object must exist [I]; the device side is not simulated.
      const o = target(state, object.type, req);
      if (!o) return notFound(operation, object.display);
      state.events.push({ operation, type: object.type, name: nameOf(o) });
      return success(operation, ns, o.uuid);
    }
  }
}
