-- A message Kafka refuses for good (too large, an invalid topic) must not hold back the rows behind it: the relay
-- records the refusal here and moves on; a refused job fails its trial with the reason.
ALTER TABLE outbox ADD COLUMN refused_at timestamptz;
ALTER TABLE outbox ADD COLUMN refusal text;
DROP INDEX outbox_unpublished;
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL AND refused_at IS NULL;
