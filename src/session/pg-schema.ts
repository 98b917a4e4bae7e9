// The PostgreSQL backend's schema, created and migrated by collabsec itself: numbered migrations,
// each applied once and recorded in collabsec.schema_migrations, checked at every start. A
// database migrated by a newer collabsec is refused rather than written in a shape this one
// does not know. Migrators serialise on a transaction-scoped advisory lock, so two collabsecs
// starting at once against an empty database do not both create the tables.
import type { Pool, PoolClient } from 'pg';
import { ExitCode, UserError } from '../errors.js';

/** In order; a released migration is never edited, only followed by a new one. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'sessions, append-only events, leases',
    sql: `
      -- One row per session: everything but the step histories (notes, per-node records, plan
      -- history, the chain's head), replaced on each write under compare-and-swap on serial.
      CREATE TABLE collabsec.sessions (
        name text PRIMARY KEY,
        lineage uuid NOT NULL,
        serial integer NOT NULL,
        -- Bumped when the whole chain is re-sealed (an edited journal accepted): the events of
        -- the earlier generation stay as they were, for the record.
        generation integer NOT NULL DEFAULT 0,
        head jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Every step event, inserted once, never updated nor deleted (the trigger below).
      CREATE TABLE collabsec.events (
        session text NOT NULL REFERENCES collabsec.sessions (name),
        generation integer NOT NULL,
        seq integer NOT NULL,
        step text NOT NULL,
        event jsonb NOT NULL,
        serial integer NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session, generation, seq)
      );
      CREATE FUNCTION collabsec.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'collabsec.events is append-only: events are never updated or deleted';
      END $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON collabsec.events
        FOR EACH ROW EXECUTE FUNCTION collabsec.refuse_change();
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON collabsec.events
        FOR EACH STATEMENT EXECUTE FUNCTION collabsec.refuse_change();
      -- The writer's lease (pg-lease.ts); no foreign key: it is taken before the session exists.
      CREATE TABLE collabsec.leases (
        session text PRIMARY KEY,
        token uuid NOT NULL,
        pid integer NOT NULL,
        host text NOT NULL,
        os_user text NOT NULL,
        pid_start text,
        started_at timestamptz NOT NULL,
        refreshed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'team operators and per-node claims',
    sql: `
      -- Operators working one session together (issue 24 slice 3): each collabsec that joined a
      -- session has a row here, renewed while it runs and expiring on the server's clock when it
      -- stops being renewed. Joining is refused while someone holds the session alone (leases),
      -- and taking the session alone is refused while a live operator works on it.
      CREATE TABLE collabsec.operators (
        session text NOT NULL,
        token uuid PRIMARY KEY,
        pid integer NOT NULL,
        host text NOT NULL,
        os_user text NOT NULL,
        pid_start text,
        started_at timestamptz NOT NULL,
        refreshed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX operators_session ON collabsec.operators (session);
      -- A node (or a step) being changed, claimed by one operator from the step's intent to its
      -- outcome. A claim lives as long as its operator's row: a dead operator's claims expire with it.
      CREATE TABLE collabsec.claims (
        session text NOT NULL,
        node text NOT NULL,
        token uuid NOT NULL REFERENCES collabsec.operators (token) ON DELETE CASCADE,
        step text NOT NULL,
        since timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session, node)
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** Any constant: the key of the advisory lock migrators serialise on. */
const MIGRATION_LOCK = 0x636f6c6c; // "coll"

export class SchemaTooNewError extends UserError {
  constructor(location: string, found: number) {
    super(
      `The session database ${location} has schema version ${found}, newer than this collabsec knows (${SCHEMA_VERSION}); nothing was read or written.`,
      'Upgrade collabsec to the version your team uses for this database.',
      ExitCode.sessionUnavailable,
    );
    this.name = 'SchemaTooNewError';
  }
}

async function appliedVersion(c: Pool | PoolClient): Promise<number | undefined> {
  const exists = await c.query<{ t: string | null }>(`SELECT to_regclass('collabsec.schema_migrations')::text AS t`);
  if (exists.rows[0]?.t == null) return undefined;
  const r = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM collabsec.schema_migrations');
  return r.rows[0]?.v ?? 0;
}

/**
 * Checks the schema and brings it up to date. A reader of an up-to-date database needs no right
 * to create anything: the DDL runs only when a migration is missing.
 */
export async function ensureSchema(pool: Pool, location: string, appliedBy: string): Promise<void> {
  const found = await appliedVersion(pool);
  if (found !== undefined && found > SCHEMA_VERSION) throw new SchemaTooNewError(location, found);
  if (found === SCHEMA_VERSION) return;
  const c = await pool.connect();
  let failed = false;
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE SCHEMA IF NOT EXISTS collabsec');
    await c.query(`CREATE TABLE IF NOT EXISTS collabsec.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL)`);
    // Again under the lock: another collabsec may have migrated while we waited for it.
    const now = (await appliedVersion(c)) ?? 0;
    if (now > SCHEMA_VERSION) throw new SchemaTooNewError(location, now);
    for (const m of MIGRATIONS.filter((x) => x.version > now)) {
      await c.query(m.sql);
      await c.query('INSERT INTO collabsec.schema_migrations (version, name, applied_by) VALUES ($1, $2, $3)', [m.version, m.name, appliedBy]);
    }
    await c.query('COMMIT');
  } catch (e) {
    failed = true;
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    // A connection that failed mid-transaction is dropped, not handed out again.
    c.release(failed);
  }
}
