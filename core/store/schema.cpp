#include "store/workspace.h"

#include <string>
#include <vector>

namespace wb {

// Append-only: a shipped migration is never edited; a change is a new entry. Tables for
// models, adapters, runs, metrics, knowledge bases and experiments join as later migrations;
// jobs and job_metrics are already generic enough for training and indexing.
const std::vector<std::string> &schemaMigrations()
{
    static const std::vector<std::string> migrations = {
        // 0 -> 1: datasets, templates, jobs
        R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE datasets (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Every import (or derived split) is a version; files are immutable and named by hash, so a
-- recorded experiment always points at the exact rows it used.
CREATE TABLE dataset_versions (
    id            INTEGER PRIMARY KEY,
    dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    file_path     TEXT NOT NULL,          -- relative to the workspace's files/ folder
    source_path   TEXT NOT NULL DEFAULT '',
    file_kind     TEXT NOT NULL,          -- jsonl | json | csv
    format        TEXT NOT NULL,          -- logic | alpaca | chat
    row_count     INTEGER NOT NULL,       -- valid records kept
    prompt_count  INTEGER NOT NULL,       -- sub-questions (logic) or rows
    skipped_rows  INTEGER NOT NULL DEFAULT 0,
    parent_version_id INTEGER REFERENCES dataset_versions(id) ON DELETE SET NULL,
    derivation    TEXT NOT NULL DEFAULT '', -- JSON: how a split was made, '' for imports
    created_at    TEXT NOT NULL,
    UNIQUE (dataset_id, version)
);
CREATE INDEX dataset_versions_hash ON dataset_versions(content_hash);

CREATE TABLE templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    builtin     TEXT NOT NULL DEFAULT '', -- name of the built-in it was seeded from
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE template_versions (
    id          INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (template_id, version)
);

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    lane        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN
                  ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    progress    REAL NOT NULL DEFAULT 0,
    message     TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    params      TEXT NOT NULL DEFAULT '{}',
    result      TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT
);
CREATE INDEX jobs_state ON jobs(state);

CREATE TABLE job_metrics (
    job_id  INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    step    INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value   REAL NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX job_metrics_job ON job_metrics(job_id, name, step);
)sql",
        // 1 -> 2: local model folders
        R"sql(
CREATE TABLE models (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    path         TEXT NOT NULL UNIQUE,     -- absolute path of the Hugging Face folder
    architecture TEXT NOT NULL DEFAULT '',
    parameters   INTEGER NOT NULL DEFAULT 0,
    dtype        TEXT NOT NULL DEFAULT '',
    size_bytes   INTEGER NOT NULL DEFAULT 0,
    tokenizer    TEXT NOT NULL DEFAULT '',
    chat_family  TEXT NOT NULL DEFAULT '',
    info         TEXT NOT NULL DEFAULT '{}', -- the full inspection, JSON
    added_at     TEXT NOT NULL
);
)sql",
    };
    return migrations;
}

} // namespace wb
