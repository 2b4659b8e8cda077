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
  /** Consistent reads: the versions returned are the ones `reserve` conditions on. */
  getProducts(tenantId: string, productIds: readonly string[]): Promise<Map<string, StockedProduct>>;
  /** Takes every line's stock, if each product is still at the version read, and records the result. */
  reserve(
    context: WriteContext,
    orderId: string,
    result: ReservedResult,
    readVersions: ReadonlyMap<string, number>,
  ): Promise<ReserveOutcome>;
  /** Records a rejection so a retried task answers the same; false if a decision already exists. */
  recordRejection(context: WriteContext, orderId: string, result: RejectedResult): Promise<boolean>;
  /** Gives the stock back and marks the reservation released; false if it was not RESERVED. */
  release(context: WriteContext, orderId: string, result: ReservedResult): Promise<boolean>;
}
