-- trial_summary joined V1 after V1 had been applied to some databases from an earlier build (the shared test
-- database among them); those lack the table while Flyway counts V1 as applied. Creating it here when missing
-- changes nothing where V1 made it.
CREATE TABLE IF NOT EXISTS trial_summary (
    trial_id    uuid PRIMARY KEY REFERENCES trial (id) ON DELETE CASCADE,
    run_id      uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    summary     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS trial_summary_run ON trial_summary (run_id);
