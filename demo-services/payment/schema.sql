-- One payment per order: the order id is the idempotency key sent to the provider.
CREATE TABLE IF NOT EXISTS payments (
  order_id     TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider_ref TEXT,
  reason       TEXT CHECK (reason IN ('declined', 'provider_unavailable')),
  detail       TEXT,
  updated_at   TEXT NOT NULL
);
