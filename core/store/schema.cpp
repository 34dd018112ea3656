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
        // 2 -> 3: knowledge bases (collections of documents, chunks, vectors, full-text)
        R"sql(
-- settings is JSON: {"chunker": {...}, "embedder": {...}, "index": {...}}. embedder and dim
-- record the model that made the stored vectors ('' / 0 until the first vector); a collection
-- refuses vectors from any other embedder.
CREATE TABLE kb_collections (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    settings    TEXT NOT NULL DEFAULT '{}',
    embedder    TEXT NOT NULL DEFAULT '',
    dim         INTEGER NOT NULL DEFAULT 0,
    revision    INTEGER NOT NULL DEFAULT 0,  -- bumped whenever chunks or vectors change
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- What the user added (a file or a folder, with reader options such as the text field of a
-- JSONL/CSV file); a sync re-scans these to find changed, new and deleted files.
CREATE TABLE kb_sources (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES kb_collections(id) ON DELETE CASCADE,
    path          TEXT NOT NULL,               -- absolute
    options       TEXT NOT NULL DEFAULT '{}',  -- JSON reader options
    added_at      TEXT NOT NULL,
    UNIQUE (collection_id, path)
);

-- One row per file. state is the ingest bookkeeping, committed per document so that an
-- interrupted ingest resumes where it stopped: pending -> chunked -> indexed, or skipped
-- (unreadable: error says why), failed, duplicate (same content_hash as duplicate_of).
CREATE TABLE kb_documents (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES kb_collections(id) ON DELETE CASCADE,
    source_id     INTEGER REFERENCES kb_sources(id) ON DELETE SET NULL,
    path          TEXT NOT NULL,               -- absolute
    kind          TEXT NOT NULL DEFAULT '',    -- txt | md | html | pdf | jsonl | csv
    options       TEXT NOT NULL DEFAULT '{}',  -- JSON reader options
    mtime_ns      INTEGER NOT NULL DEFAULT 0,
    size_bytes    INTEGER NOT NULL DEFAULT 0,
    content_hash  TEXT NOT NULL DEFAULT '',    -- sha256 of the file's bytes
    state         TEXT NOT NULL CHECK (state IN
                    ('pending', 'chunked', 'indexed', 'skipped', 'failed', 'duplicate')),
    error         TEXT NOT NULL DEFAULT '',    -- why it was skipped or failed
    warnings      TEXT NOT NULL DEFAULT '[]',  -- JSON: e.g. pages without text
    duplicate_of  INTEGER REFERENCES kb_documents(id) ON DELETE SET NULL,
    pages         INTEGER NOT NULL DEFAULT 0,
    chars         INTEGER NOT NULL DEFAULT 0,  -- bytes of extracted UTF-8 text
    chunk_count   INTEGER NOT NULL DEFAULT 0,
    added_at      TEXT NOT NULL,
    indexed_at    TEXT,
    UNIQUE (collection_id, path)
);
CREATE INDEX kb_documents_state ON kb_documents(collection_id, state);
CREATE INDEX kb_documents_hash ON kb_documents(collection_id, content_hash);

-- Offsets are UTF-8 byte offsets into the document's extracted text (PDF pages joined with
-- a form feed); page is 1-based, 0 for unpaged formats. text_hash lets a re-indexed file
-- reuse the vectors of chunks whose text did not change.
CREATE TABLE kb_chunks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    page         INTEGER NOT NULL DEFAULT 0,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    heading      TEXT NOT NULL DEFAULT '',     -- enclosing markdown heading path
    tokens       INTEGER NOT NULL DEFAULT 0,
    text_hash    TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, ordinal)
);
CREATE INDEX kb_chunks_hash ON kb_chunks(text_hash);

-- Normalised float32 vectors (little-endian, dim values); the faiss index beside the
-- database is rebuilt from these when it disagrees with the chunk table.
CREATE TABLE kb_vectors (
    chunk_id INTEGER PRIMARY KEY REFERENCES kb_chunks(id) ON DELETE CASCADE,
    vector   BLOB NOT NULL
);

-- Full text over a segmented shadow of each chunk (CJK as unigrams + bigrams, other text as
-- lowercased words), rowid = kb_chunks.id; queries are segmented the same way.
CREATE VIRTUAL TABLE kb_chunks_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER kb_chunks_fts_delete AFTER DELETE ON kb_chunks BEGIN
    DELETE FROM kb_chunks_fts WHERE rowid = old.id;
END;
)sql",
        // 3 -> 4: remote endpoints, saved experiments, comparison runs and the response cache
        R"sql(
-- An OpenAI-compatible endpoint used as a model. The API key is never stored here: the CLI
-- reads it from the environment variable api_key_env, the app from the system keychain.
CREATE TABLE remote_endpoints (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    base_url        TEXT NOT NULL,
    model           TEXT NOT NULL,
    api_key_env     TEXT NOT NULL DEFAULT '',
    max_concurrency INTEGER NOT NULL DEFAULT 4,
    rpm             INTEGER NOT NULL DEFAULT 0,     -- requests per minute, 0: no limit
    timeout_s       REAL NOT NULL DEFAULT 120,
    retries         INTEGER NOT NULL DEFAULT 4,
    added_at        TEXT NOT NULL
);

-- Saved experiment definitions (EXPERIMENT.json), as the Compare tab edits them.
CREATE TABLE experiments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One run of an experiment: the spec as run, its resolved lineage (dataset hash, template
-- versions, model fingerprints, adapter hashes, seeds, app version) and its state.
CREATE TABLE compare_runs (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    experiment  TEXT NOT NULL,               -- the EXPERIMENT.json as run
    lineage     TEXT NOT NULL DEFAULT '{}',
    state       TEXT NOT NULL CHECK (state IN ('running', 'stopped', 'finished', 'failed')),
    error       TEXT NOT NULL DEFAULT '',
    no_cache    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    finished_at TEXT
);

-- The questions of a run, fixed when it starts (so results never depend on re-reading files).
CREATE TABLE compare_questions (
    run_id    INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    qidx      INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    row       INTEGER NOT NULL,
    question  INTEGER NOT NULL,              -- 0-based sub-question
    text      TEXT NOT NULL,                 -- the sub-question's text
    options   TEXT NOT NULL,                 -- JSON list
    expected  TEXT NOT NULL,
    fields    TEXT NOT NULL DEFAULT '{}',    -- JSON: the record's scalar fields, for breakdowns
    PRIMARY KEY (run_id, qidx)
);

-- Every response a run received, committed per batch: resuming skips what is here.
CREATE TABLE compare_samples (
    run_id        INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    cell          TEXT NOT NULL,
    qidx          INTEGER NOT NULL,
    sample        INTEGER NOT NULL,
    text          TEXT NOT NULL,
    extracted     TEXT NOT NULL DEFAULT '',  -- the option letter, '' when none
    extract_note  TEXT NOT NULL DEFAULT '',  -- how it was extracted, or why not
    finish_reason TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    latency_s     REAL NOT NULL DEFAULT 0,
    ttft_s        REAL NOT NULL DEFAULT 0,
    cached        INTEGER NOT NULL DEFAULT 0,
    cache_key     TEXT NOT NULL DEFAULT '',
    extra         TEXT NOT NULL DEFAULT '{}',  -- loglik scores, retrieved chunks
    PRIMARY KEY (run_id, cell, qidx, sample)
);

-- Responses by a hash of the full request (endpoint identity, prompt, decoding, sample index).
CREATE TABLE response_cache (
    key           TEXT PRIMARY KEY,
    endpoint      TEXT NOT NULL,
    text          TEXT NOT NULL,
    finish_reason TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    latency_s     REAL NOT NULL DEFAULT 0,
    ttft_s        REAL NOT NULL DEFAULT 0,
    extra         TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL
);
)sql",
    };
    return migrations;
}

} // namespace wb
