-- How many judge requests a run's completion planned (null: none planned yet), so clients can tell when every
-- answer has its scores: the outbox rows themselves are deleted after publishing.
ALTER TABLE run ADD COLUMN judge_requests integer;
