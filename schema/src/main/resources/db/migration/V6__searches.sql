-- Searches: the optimizer's requests. A search drives ordinary runs (search_run says which, and in which round);
-- its planner's state and its result are JSON it rewrites after every round.
CREATE TABLE search (
    id           uuid PRIMARY KEY,
    name         text        NOT NULL,
    pool         text        NOT NULL,
    status       text        NOT NULL,
    spec         jsonb       NOT NULL,
    state        jsonb       NOT NULL,
    result       jsonb,
    reason       text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX search_created_at ON search (created_at DESC);
CREATE INDEX search_open ON search (status) WHERE finished_at IS NULL;

CREATE TABLE search_run (
    search_id  uuid    NOT NULL REFERENCES search (id) ON DELETE CASCADE,
    run_id     uuid    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    round      integer NOT NULL,
    stage      text    NOT NULL,
    PRIMARY KEY (search_id, run_id)
);
CREATE INDEX search_run_run ON search_run (run_id);

-- The roofline's inputs the worker reads from each artifact's GGUF file.
ALTER TABLE artifact ADD COLUMN decode_weight_bytes bigint;
ALTER TABLE artifact ADD COLUMN kv_bytes_per_position bigint;
