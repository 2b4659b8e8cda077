import { dynamoDbStockReservationRepository } from './adapters/stock-reservation-repository.js';
import { tableName } from './composition.js';
import { stockReservationUseCases } from './domain/stock-reservation-use-cases.js';

/** Full jitter between attempts, so concurrent reservations of one product spread out. */
const jitteredPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

/** The saga's stock reservations wired to the catalog's table, built once per cold start. */
export const stockReservations = stockReservationUseCases({
  repository: dynamoDbStockReservationRepository(tableName),
  pause: jitteredPause,
});
