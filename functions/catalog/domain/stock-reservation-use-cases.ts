import type {
  ReleaseStockInput,
  ReleaseStockOutput,
  ReserveStockInput,
  ReserveStockOutput,
} from '../../../tasks/order-saga-tasks.js';
import { sagaErrors } from '../../../tasks/order-saga-tasks.js';
import { decideReservation, mergeLines } from './stock-reservation.js';
import type { StockReservationRepository } from './stock-reservation-port.js';

/** Attempts when concurrent writers keep changing the products between read and reservation. */
const maxReserveAttempts = 5;

export class StockContentionError extends Error {
  override readonly name = 'StockContentionError';
}

/** Thrown to the saga (which does not retry it) when the order's stock was already released. */
export class ReservationVoidedError extends Error {
  override readonly name = sagaErrors.reservationVoided;
}

/** Reads of a release: the first, and one more when a decision lands between the read and the void. */
const maxReleaseAttempts = 2;

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
        if (stored?.released) {
          throw new ReservationVoidedError(
            `The stock of order ${input.orderId} was already released; it cannot be reserved again.`,
          );
        }
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
        const outcome = await repository.reserve(context, input.orderId, decision);
        if (outcome === 'reserved') return decision;
        if (outcome === 'stock-changed') await pause(attempt);
      }
      // Thrown to the saga, whose retry policy backs off before trying again.
      throw new StockContentionError(
        `Products of order ${input.orderId} kept changing; reservation not decided.`,
      );
    },

    /**
     * Gives back what the order holds. With no decision stored yet it stores a void first, so a
     * reservation that arrives late (a retry still in flight, a sweep racing a slow execution)
     * fails instead of taking stock that nothing would give back.
     */
    async releaseStock(input: ReleaseStockInput): Promise<ReleaseStockOutput> {
      for (let attempt = 1; attempt <= maxReleaseAttempts; attempt += 1) {
        const stored = await repository.getReservation(input.tenantId, input.orderId);
        if (!stored) {
          if (await repository.recordVoid(input.tenantId, input.orderId)) return { released: false };
          continue;
        }
        if (stored.result?.status !== 'RESERVED') return { released: false };
        if (stored.released) return { released: true };
        const context = { tenantId: input.tenantId, correlationId: input.correlationId };
        // false means a concurrent release won: the stock is back either way.
        await repository.release(context, input.orderId, stored.result);
        return { released: true };
      }
      throw new Error(`The reservation of order ${input.orderId} kept changing while it was being released.`);
    },
  };
}
