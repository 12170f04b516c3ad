-- The stored runs. Ids come from the messages, so every ingestion write is an idempotent upsert.

CREATE TABLE run (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    pool          text        NOT NULL,
    status        text        NOT NULL,
    spec          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
CREATE INDEX run_created_at ON run (created_at DESC);
CREATE INDEX run_name ON run (name);

CREATE TABLE variant (
    id            uuid PRIMARY KEY,
    run_id        uuid    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    name          text    NOT NULL,
    baseline      boolean NOT NULL,
    flags         jsonb   NOT NULL,
    sweep_values  jsonb,
    UNIQUE (run_id, name)
);

CREATE TABLE artifact (
    id               uuid PRIMARY KEY,
    run_id           uuid    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    position         integer NOT NULL,
    model_ref        text    NOT NULL,
    quantization     text,
    prune_layers     integer NOT NULL DEFAULT 0,
    prune_from       text,
    file_name        text,
    sha256           text,
    size_bytes       bigint,
    architecture     text,
    file_type        text,
    block_count      integer,
    parameter_count  bigint
);

CREATE TABLE trial (
    id                    uuid PRIMARY KEY,
    run_id                uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    variant_id            uuid        NOT NULL REFERENCES variant (id) ON DELETE CASCADE,
    artifact_id           uuid        NOT NULL REFERENCES artifact (id) ON DELETE CASCADE,
    status                text        NOT NULL,
    attempts              integer     NOT NULL DEFAULT 0,
    worker_id             text,
    phase                 text,
    samples_done          integer,
    samples_total         integer,
    reason                text,
    stderr_tail           text,
    environment           jsonb,
    argv                  jsonb,
    load_millis           bigint,
    cold_generation       jsonb,
    sample_count          integer,
    request_millis        bigint,
    wall_millis           bigint,
    peak_rss_bytes        bigint,
    peak_gpu_memory_bytes bigint,
    metrics_delta         jsonb,
    perplexity            jsonb,
    concurrent_activity   jsonb,
    created_at            timestamptz NOT NULL,
    started_at            timestamptz,
    finished_at           timestamptz,
    UNIQUE (variant_id, artifact_id)
);
CREATE INDEX trial_run ON trial (run_id);
CREATE INDEX trial_status ON trial (status);

CREATE TABLE sample (
    id                                  uuid PRIMARY KEY,
    trial_id                            uuid             NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    run_id                              uuid             NOT NULL,
    conversation_id                     text             NOT NULL,
    round                               integer          NOT NULL,
    repetition                          integer          NOT NULL,
    concurrency                         integer          NOT NULL,
    started_at                          timestamptz,
    prompt_tokens                       integer          NOT NULL,
    completion_tokens                   integer          NOT NULL,
    cached_tokens                       integer          NOT NULL,
    ttft_millis                         double precision NOT NULL,
    latency_millis                      double precision NOT NULL,
    inter_token_millis_mean             double precision,
    inter_token_millis_p95              double precision,
    generation_tokens_per_second        double precision,
    server_prompt_millis                double precision,
    server_prompt_tokens_per_second     double precision,
    server_generation_millis            double precision,
    server_generation_tokens_per_second double precision,
    draft_tokens                        integer,
    draft_accepted_tokens               integer,
    finish_reason                       text,
    prompt                              text,
    answer                              text,
    error                               text
);
CREATE INDEX sample_trial ON sample (trial_id);
CREATE INDEX sample_run ON sample (run_id);

CREATE TABLE score (
    id                     uuid PRIMARY KEY,
    run_id                 uuid        NOT NULL,
    trial_id               uuid        NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    sample_id              uuid        NOT NULL,
    kind                   text        NOT NULL,
    verdict                text        NOT NULL,
    grade                  double precision,
    position_disagreement  boolean,
    judge_model            text,
    prompt_version         text,
    raw_replies            jsonb,
    created_at             timestamptz NOT NULL
);
CREATE INDEX score_trial ON score (trial_id);

-- Messages written in the same transaction as the rows they announce, then published (transactional outbox).
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    topic         text        NOT NULL,
    message_key   text        NOT NULL,
    payload       text        NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- The latest capabilities each worker announced.
CREATE TABLE worker (
    id            text PRIMARY KEY,
    pool          text        NOT NULL,
    capabilities  jsonb       NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE INDEX worker_pool ON worker (pool);

-- Each trial's summary (contracts' TrialSummary as JSON), recomputed by the orchestrator when the trial
-- finishes and when its scores arrive; the API and the viz service read it instead of recomputing.
CREATE TABLE trial_summary (
    trial_id    uuid PRIMARY KEY REFERENCES trial (id) ON DELETE CASCADE,
    run_id      uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    summary     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX trial_summary_run ON trial_summary (run_id);
