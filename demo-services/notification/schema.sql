-- The notification outbox: every message is recorded before it is sent, and
-- stays pending (with its last error) until a provider accepts it.
CREATE TABLE IF NOT EXISTS messages (
  id         TEXT PRIMARY KEY,
  event_id   TEXT NOT NULL,
  order_id   TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  kind       TEXT NOT NULL,
  channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  body       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at    TEXT,
  UNIQUE (event_id, channel)
);
CREATE INDEX IF NOT EXISTS messages_by_order ON messages (order_id);
CREATE INDEX IF NOT EXISTS messages_pending ON messages (status) WHERE status = 'pending';
