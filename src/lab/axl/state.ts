// The simulator's in-memory Unified CM configuration: objects by type and identity (names compare
// case-insensitively, as Unified CM's unique indexes on name do [I]), each with a uuid in the
// `{XXXXXXXX-…}` form AXL returns. Tests read it (`state.get('PhoneSecurityProfile', name)`) and
// may seed it (`state.put(…)`) with objects that exist before a step runs (trunks, phones).
// The identity is the object's key fields joined by " / " as the plan names it (`name` for most
// types; `processNodeName / name / service` for a service parameter; "" for the one LDAP
// authentication of a cluster).
import { randomUUID } from 'node:crypto';
import { textOf, type AxlRecord } from '../../transport/axl/index.js';
import { keyFields } from './objects.js';

export interface StoredObject {
  uuid: string;
  /** The fields as sent (element order kept); `name` among them. */
  fields: AxlRecord;
}

/** One accepted write, in order (tests check what was written and reset). */
export interface AxlEvent {
  operation: string;
  type: string;
  name: string;
}

/** An object's name (always a string: put() and add refuse anything else). */
export function nameOf(o: StoredObject): string {
  return typeof o.fields.name === 'string' ? o.fields.name : '';
}

/** The identity of an object of `type` with these fields (see the head of this file). */
export function identityOf(type: string, fields: AxlRecord): string {
  return keyFields(type)
    .map((k) => textOf(fields[k]))
    .join(' / ');
}

export class AxlState {
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  readonly events: AxlEvent[] = [];

  private table(type: string): Map<string, StoredObject> {
    let t = this.objects.get(type);
    if (!t) this.objects.set(type, (t = new Map<string, StoredObject>()));
    return t;
  }

  /** The fields of the object `name` (its identity) of `type` (a copy), or undefined. */
  get(type: string, name: string): AxlRecord | undefined {
    const o = this.table(type).get(name.toLowerCase());
    return o ? structuredClone(o.fields) : undefined;
  }

  find(type: string, name: string): StoredObject | undefined {
    return this.table(type).get(name.toLowerCase());
  }

  byUuid(type: string, uuid: string): StoredObject | undefined {
    return [...this.table(type).values()].find((o) => o.uuid.toLowerCase() === uuid.toLowerCase());
  }

  list(type: string): StoredObject[] {
    return [...this.table(type).values()];
  }

  names(type: string): string[] {
    return this.list(type).map((o) => nameOf(o));
  }

  /** Adds or replaces an object (seeding); returns its uuid. */
  put(type: string, fields: AxlRecord): string {
    for (const k of keyFields(type))
      if (typeof fields[k] !== 'string' || fields[k] === '') throw new Error(`AxlState.put(${type}): fields need ${k}`);
    const id = identityOf(type, fields);
    const prev = this.find(type, id);
    const uuid = prev?.uuid ?? `{${randomUUID().toUpperCase()}}`;
    this.table(type).set(id.toLowerCase(), { uuid, fields: structuredClone(fields) });
    return uuid;
  }

  rename(type: string, from: string, to: string): void {
    const o = this.find(type, from);
    if (!o) return;
    this.table(type).delete(from.toLowerCase());
    o.fields.name = to;
    this.table(type).set(to.toLowerCase(), o);
  }

  remove(type: string, name: string): boolean {
    return this.table(type).delete(name.toLowerCase());
  }
}
