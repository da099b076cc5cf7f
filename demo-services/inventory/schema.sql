CREATE TABLE IF NOT EXISTS products (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents > 0),
  stock       INTEGER NOT NULL CHECK (stock >= 0)
);
-- One reservation per order: stock is taken when the order is created and
-- given back if its payment fails.
CREATE TABLE IF NOT EXISTS reservations (
  order_id   TEXT PRIMARY KEY,
  items      TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('reserved', 'committed', 'released', 'short')),
  updated_at TEXT NOT NULL
);
