import type {
  ReleaseStockInput,
  ReleaseStockOutput,
  ReserveStockInput,
  ReserveStockOutput,
} from '../../../statemachines/order-saga-tasks.js';
import { decideReservation, mergeLines } from './stock-reservation.js';
import type { StockReservationRepository } from './stock-reservation-port.js';

/** Attempts when concurrent writers keep changing the products between read and reservation. */
const maxReserveAttempts = 5;

export class StockContentionError extends Error {
  override readonly name = 'StockContentionError';
}

export interface StockReservationDependencies {
  repository: StockReservationRepository;
  pause: (attempt: number) => Promise<void>;
}

export function stockReservationUseCases({ repository, pause }: StockReservationDependencies) {
  return {
    /** Idempotent by order: the first decision is stored and every retry answers with it. */
    async reserveStock(input: ReserveStockInput): Promise<ReserveStockOutput> {
      const context = { tenantId: input.tenantId, correlationId: input.correlationId };
      const lines = mergeLines(input.items);
      for (let attempt = 1; attempt <= maxReserveAttempts; attempt += 1) {
        const stored = await repository.getReservation(input.tenantId, input.orderId);
        if (stored) return stored.result;
        const products = await repository.getProducts(
          input.tenantId,
          lines.map((line) => line.productId),
        );
        const decision = decideReservation(lines, products);
        if (decision.status === 'REJECTED') {
          if (await repository.recordRejection(context, input.orderId, decision)) return decision;
          continue;
        }
        const readVersions = new Map(
          [...products].map(([productId, product]) => [productId, product.version]),
        );
        const outcome = await repository.reserve(context, input.orderId, decision, readVersions);
        if (outcome === 'reserved') return decision;
        if (outcome === 'stock-changed') await pause(attempt);
      }
      // Thrown to the saga, whose retry policy backs off before trying again.
      throw new StockContentionError(
        `Products of order ${input.orderId} kept changing; reservation not decided.`,
      );
    },

    async releaseStock(input: ReleaseStockInput): Promise<ReleaseStockOutput> {
      const stored = await repository.getReservation(input.tenantId, input.orderId);
      if (stored?.result.status !== 'RESERVED') return { released: false };
      if (stored.released) return { released: true };
      const context = { tenantId: input.tenantId, correlationId: input.correlationId };
      // false means a concurrent release won: the stock is back either way.
      await repository.release(context, input.orderId, stored.result);
      return { released: true };
    },
  };
}
