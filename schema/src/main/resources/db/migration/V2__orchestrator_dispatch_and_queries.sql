-- What the orchestrator needs beyond V1: the resolved workload per run, which model an artifact belongs to,
-- outbox rows that know their run (so cancelling drops unpublished jobs), and indexes for the queries.

-- The resolved workload every trial plays (contracts' Workload as JSON): prompts, references, repetitions.
ALTER TABLE run ADD COLUMN workload jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE run ALTER COLUMN workload DROP DEFAULT;
CREATE INDEX run_pool ON run (pool);
CREATE INDEX run_status ON run (status);

-- variant.flags holds the validated flags in the order the user wrote them, canonical names:
-- [{"name": "--flash-attn", "value": "on"}, {"name": "--no-kv-offload"}] (no value for a switch).
CREATE INDEX variant_run ON variant (run_id);

-- model_index: the entry of the spec's models list the artifact comes from. The artifact with the lowest
-- position of a model is its first artifact, the one its reference trial runs on.
ALTER TABLE artifact ADD COLUMN model_index integer NOT NULL DEFAULT 0;
ALTER TABLE artifact ALTER COLUMN model_index DROP DEFAULT;
ALTER TABLE artifact ADD COLUMN label text NOT NULL DEFAULT '';
ALTER TABLE artifact ALTER COLUMN label DROP DEFAULT;
ALTER TABLE artifact ADD COLUMN build_millis bigint;
CREATE INDEX artifact_run ON artifact (run_id);
CREATE INDEX artifact_model_ref ON artifact (model_ref);

-- Pages of samples and the judge's pairing read samples in this order.
DROP INDEX sample_trial;
CREATE INDEX sample_trial ON sample (trial_id, concurrency, repetition, conversation_id, round);

CREATE INDEX score_sample ON score (sample_id);

ALTER TABLE outbox ADD COLUMN run_id uuid;
ALTER TABLE outbox ADD COLUMN trial_id uuid;
CREATE INDEX outbox_run_unpublished ON outbox (run_id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
