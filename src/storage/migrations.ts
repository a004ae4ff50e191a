/**
 * The PostgreSQL schema, as an append-only list of versioned migrations (`pg.ts` applies them at
 * start-up under an advisory lock). Never edit a migration that has shipped: add the next version.
 * Every tenant table is keyed by the tenant id the registry verified (today the original access key),
 * never by anything a client sends.
 */
export interface Migration {
  version: number;
  name: string;
  /** The SQL of this step for `schema` (one or more statements; run in one transaction). */
  sql(schema: string): string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tenant registry',
    // The shape the registry had before versioned migrations (IF NOT EXISTS: such a database adopts it).
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.tenants (key text PRIMARY KEY, created_at text NOT NULL, record jsonb NOT NULL);
      CREATE TABLE IF NOT EXISTS ${s}.registry_generation (id int PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL);
      INSERT INTO ${s}.registry_generation (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;`,
  },
  {
    version: 2,
    name: 'sessions, traces, audit, graph state, questionnaire, throttle counters',
    sql: (s) => `
      CREATE TABLE ${s}.sessions (
        tenant_id text NOT NULL,
        id text NOT NULL,
        title text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        last_turn int NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE TABLE ${s}.turns (
        tenant_id text NOT NULL,
        session_id text NOT NULL,
        turn int NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (tenant_id, session_id, turn),
        FOREIGN KEY (tenant_id, session_id) REFERENCES ${s}.sessions (tenant_id, id) ON DELETE CASCADE
      );
      CREATE TABLE ${s}.trace_events (
        seq bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        session_id text NOT NULL,
        event jsonb NOT NULL
      );
      CREATE INDEX trace_events_session ON ${s}.trace_events (tenant_id, session_id, seq);
      CREATE TABLE ${s}.audit_log (
        seq bigserial PRIMARY KEY,
        tenant_id text,
        line jsonb NOT NULL
      );
      CREATE TABLE ${s}.graph_state (
        tenant_id text PRIMARY KEY,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${s}.questionnaire (
        tenant_id text PRIMARY KEY,
        data jsonb NOT NULL
      );
      CREATE TABLE ${s}.throttle_counters (
        bucket text NOT NULL,
        key text NOT NULL,
        window_start bigint NOT NULL,
        count int NOT NULL,
        PRIMARY KEY (bucket, key)
      );`,
  },
  {
    version: 3,
    name: 'documents: records, originals, extractions, full-text passages',
    sql: (s) => `
      CREATE TABLE ${s}.documents (
        tenant_id text NOT NULL,
        id text NOT NULL,
        uploaded_at text NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE TABLE ${s}.document_blobs (
        tenant_id text NOT NULL,
        sha256 text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (tenant_id, sha256)
      );
      CREATE TABLE ${s}.document_extracted (
        tenant_id text NOT NULL,
        id text NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE TABLE ${s}.search_passages (
        tenant_id text NOT NULL,
        document_id text NOT NULL,
        seq int NOT NULL,
        document_name text NOT NULL,
        locator text NOT NULL,
        heading text,
        text text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', text), 'A') ||
          setweight(to_tsvector('english', coalesce(heading, '')), 'B') ||
          setweight(to_tsvector('english', document_name), 'C')) STORED,
        PRIMARY KEY (tenant_id, document_id, seq)
      );
      CREATE INDEX search_passages_tsv ON ${s}.search_passages USING gin (tsv);`,
  },
  {
    version: 4,
    name: 'processing leases, upload slots, registry row generations',
    sql: (s) => `
      ALTER TABLE ${s}.documents ADD COLUMN lease_owner text, ADD COLUMN lease_until timestamptz;
      CREATE INDEX documents_processing ON ${s}.documents (lease_until) WHERE record->>'status' = 'processing';
      CREATE TABLE ${s}.upload_slots (
        tenant_id text NOT NULL,
        id text NOT NULL,
        owner text NOT NULL,
        bytes bigint NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      ALTER TABLE ${s}.tenants ADD COLUMN gen bigint NOT NULL DEFAULT 0;
      CREATE INDEX tenants_gen ON ${s}.tenants (gen);`,
  },
];
