-- Every event a service consumed, keyed by event id: the record that makes
-- redelivery harmless (handled once) and a crash recoverable (pending rows resume).
CREATE TABLE IF NOT EXISTS inbox (
  event_id     TEXT PRIMARY KEY,
  topic        TEXT NOT NULL,
  envelope     TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  deliveries   INTEGER NOT NULL DEFAULT 1,
  received_at  TEXT NOT NULL,
  processed_at TEXT,
  error        TEXT
);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (status) WHERE status = 'pending';
