import { ulid } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbProductRepository } from './adapters/product-repository.js';
import { dynamoDbStockReservationRepository } from './adapters/stock-reservation-repository.js';
import { catalogUseCases } from './domain/catalog-use-cases.js';
import { stockReservationUseCases } from './domain/stock-reservation-use-cases.js';
import { catalogService } from './service.js';

const tableName = requiredEnv(tableNameVariable(catalogService.name));

/** The catalog wired to DynamoDB, built once per cold start. */
export const catalog = catalogUseCases({
  repository: dynamoDbProductRepository(tableName),
  newId: ulid,
  now: () => new Date(),
});

/** Full jitter between attempts, so concurrent reservations of one product spread out. */
const jitteredPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

export const stockReservations = stockReservationUseCases({
  repository: dynamoDbStockReservationRepository(tableName),
  pause: jitteredPause,
});
