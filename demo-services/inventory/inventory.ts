/**
 * The catalogue and its stock: availability checks, and one reservation per
 * order (taken on OrderCreated, committed on PaymentSucceeded, released on
 * PaymentFailed). Every step is keyed by order id, so a repeated event is a no-op.
 */
import type { Database } from '../shared/database';
import { NotFoundError } from '../shared/errors';

export interface Product {
  id: string;
  name: string;
  priceCents: number;
  stock: number;
}

export interface LineRequest {
  productId: string;
  quantity: number;
}

export interface AvailabilityLine extends LineRequest {
  name: string;
  unitPriceCents: number;
  inStock: number;
}

export interface Availability {
  available: boolean;
  lines: AvailabilityLine[];
}

export type ReservationStatus = 'reserved' | 'committed' | 'released' | 'short';

const CATALOGUE: Array<[string, string, number]> = [
  ['p-espresso', 'Espresso beans, 1 kg', 2490],
  ['p-grinder', 'Burr grinder', 12900],
  ['p-kettle', 'Gooseneck kettle', 5900],
  ['p-dripper', 'Ceramic dripper', 2900],
  ['p-filters', 'Paper filters, 100', 690],
  ['p-scale', 'Brew scale', 3990],
  ['p-mug', 'Stoneware mug', 1490],
  ['p-tamper', 'Espresso tamper', 3490],
  ['p-milk-jug', 'Milk jug, 600 ml', 1990],
  ['p-cleaner', 'Machine cleaner', 1290],
  ['p-tea', 'Sencha tea, 250 g', 1590],
  ['p-gift-card', 'Gift card', 2500],
];
const INITIAL_STOCK = 500;
// The simulated supplier tops a product up when a reservation leaves it low,
// so a long demo run never sells out.
const RESTOCK_BELOW = 50;

interface ProductRow {
  id: string;
  name: string;
  price_cents: number;
  stock: number;
}

const toProduct = (row: ProductRow): Product => ({ id: row.id, name: row.name, priceCents: row.price_cents, stock: row.stock });

export class Inventory {
  constructor(private readonly db: Database.Database) {}

  seedCatalogue(): void {
    const insert = this.db.prepare(`INSERT INTO products (id, name, price_cents, stock) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
    this.db.transaction(() => CATALOGUE.forEach(([id, name, price]) => insert.run(id, name, price, INITIAL_STOCK)))();
  }

  listProducts(): Product[] {
    return (this.db.prepare(`SELECT id, name, price_cents, stock FROM products ORDER BY id`).all() as ProductRow[]).map(toProduct);
  }

  product(id: string): Product {
    const row = this.db.prepare(`SELECT id, name, price_cents, stock FROM products WHERE id = ?`).get(id) as ProductRow | undefined;
    if (!row) throw new NotFoundError(`No product "${id}". GET /api/products lists them.`);
    return toProduct(row);
  }

  checkAvailability(lines: LineRequest[]): Availability {
    const checked = lines.map((line) => {
      const product = this.product(line.productId);
      return { ...line, name: product.name, unitPriceCents: product.priceCents, inStock: product.stock };
    });
    return { available: checked.every((line) => line.inStock >= line.quantity), lines: checked };
  }

  /** Takes stock for an order; `short` if it ran out since the availability check. */
  reserve(orderId: string, lines: LineRequest[]): ReservationStatus {
    return this.db.transaction((): ReservationStatus => {
      const existing = this.reservationStatus(orderId);
      if (existing) return existing;
      const short = lines.some((line) => this.product(line.productId).stock < line.quantity);
      if (!short) {
        const take = this.db.prepare(`UPDATE products SET stock = stock - ? WHERE id = ?`);
        const restock = this.db.prepare(`UPDATE products SET stock = stock + ? WHERE id = ? AND stock < ?`);
        for (const line of lines) {
          take.run(line.quantity, line.productId);
          restock.run(INITIAL_STOCK, line.productId, RESTOCK_BELOW);
        }
      }
      const status: ReservationStatus = short ? 'short' : 'reserved';
      this.db
        .prepare(`INSERT INTO reservations (order_id, items, status, updated_at) VALUES (?, ?, ?, ?)`)
        .run(orderId, JSON.stringify(lines), status, new Date().toISOString());
      return status;
    })();
  }

  commit(orderId: string): ReservationStatus | undefined {
    this.db.prepare(`UPDATE reservations SET status = 'committed', updated_at = ? WHERE order_id = ? AND status = 'reserved'`).run(new Date().toISOString(), orderId);
    return this.reservationStatus(orderId);
  }

  /** Gives reserved stock back; repeated or late calls change nothing. */
  release(orderId: string): ReservationStatus | undefined {
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT items, status FROM reservations WHERE order_id = ?`).get(orderId) as
        | { items: string; status: ReservationStatus }
        | undefined;
      if (row?.status !== 'reserved') return row?.status;
      const give = this.db.prepare(`UPDATE products SET stock = stock + ? WHERE id = ?`);
      for (const line of JSON.parse(row.items) as LineRequest[]) give.run(line.quantity, line.productId);
      this.db.prepare(`UPDATE reservations SET status = 'released', updated_at = ? WHERE order_id = ?`).run(new Date().toISOString(), orderId);
      return 'released' as const;
    })();
  }

  reservationStatus(orderId: string): ReservationStatus | undefined {
    const row = this.db.prepare(`SELECT status FROM reservations WHERE order_id = ?`).get(orderId) as { status: ReservationStatus } | undefined;
    return row?.status;
  }
}
