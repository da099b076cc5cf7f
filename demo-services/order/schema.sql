CREATE TABLE IF NOT EXISTS orders (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  items       TEXT NOT NULL,
  total_cents INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('created', 'paid', 'fulfilled', 'cancelled')),
  reason      TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_user ON orders (user_id, created_at);
