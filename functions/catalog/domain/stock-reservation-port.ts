import type { WriteContext } from './catalog-port.js';
import type {
  RejectedResult,
  ReservedResult,
  StockedProduct,
  StoredReservation,
} from './stock-reservation.js';

export type ReserveOutcome = 'reserved' | 'already-decided' | 'stock-changed';

/** What stock reservation needs from storage. */
export interface StockReservationRepository {
  getReservation(tenantId: string, orderId: string): Promise<StoredReservation | undefined>;
  /** Consistent reads, so a decision is taken on the stock and prices as they are now. */
  getProducts(tenantId: string, productIds: readonly string[]): Promise<Map<string, StockedProduct>>;
  /**
   * Takes every line's stock, if each product still has the stock and the price the lines carry,
   * and records the result. Conditioned on price and stock rather than on the version read, so
   * concurrent orders for one product do not fail each other: only a reprice or a shortage does.
   */
  reserve(context: WriteContext, orderId: string, result: ReservedResult): Promise<ReserveOutcome>;
  /** Records a rejection so a retried task answers the same; false if a decision already exists. */
  recordRejection(context: WriteContext, orderId: string, result: RejectedResult): Promise<boolean>;
  /** Stores a void for an order with no decision yet; false if a decision was stored first. */
  recordVoid(tenantId: string, orderId: string): Promise<boolean>;
  /** Gives the stock back and marks the reservation released; false if it was not RESERVED. */
  release(context: WriteContext, orderId: string, result: ReservedResult): Promise<boolean>;
}
