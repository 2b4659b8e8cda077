import { ulid } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbProductRepository } from './adapters/product-repository.js';
import { catalogUseCases } from './domain/catalog-use-cases.js';
import { catalogService } from './service.js';

export const tableName = requiredEnv(tableNameVariable(catalogService.name));

/**
 * The catalog wired to DynamoDB, built once per cold start. The saga's stock reservations are wired
 * apart (stock-reservation-composition.ts): the HTTP functions do not load the saga's contracts.
 */
export const catalog = catalogUseCases({
  repository: dynamoDbProductRepository(tableName),
  newId: ulid,
  now: () => new Date(),
});
