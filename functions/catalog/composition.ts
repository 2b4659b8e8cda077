import { ulid } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbProductRepository } from './adapters/product-repository.js';
import { catalogUseCases } from './domain/catalog-use-cases.js';
import { catalogService } from './service.js';

/** The catalog wired to DynamoDB, built once per cold start. */
export const catalog = catalogUseCases({
  repository: dynamoDbProductRepository(requiredEnv(tableNameVariable(catalogService.name))),
  newId: ulid,
  now: () => new Date(),
});
