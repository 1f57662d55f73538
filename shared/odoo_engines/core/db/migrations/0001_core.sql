-- Core tables every engine shares: the pgvector extension, job runs, sync cursors.
CREATE EXTENSION IF NOT EXISTS vector;

-- One row per run of a job (product-sync, sales-sync, forecast, poll …): its result.
CREATE TABLE runs (
    id bigserial PRIMARY KEY,
    job text NOT NULL,
    scope text NOT NULL DEFAULT '',
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    success boolean,
    result jsonb NOT NULL DEFAULT '{}'::jsonb,
    error text
);
CREATE INDEX runs_job_started ON runs (job, scope, started_at DESC);

-- Per job and scope: the keyset cursor and when the last run succeeded.
CREATE TABLE sync_state (
    job text NOT NULL,
    scope text NOT NULL DEFAULT '',
    cursor jsonb,
    last_success_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job, scope)
);
