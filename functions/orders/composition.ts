import { monotonicFactory } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbOrderRepository } from './adapters/order-repository.js';
import { orderUseCases } from './domain/order-use-cases.js';
import { ordersService } from './service.js';

/**
 * The orders service wired to DynamoDB, built once per cold start. Monotonic ULIDs keep orders
 * placed within one millisecond in placement order, which the newest-first lists rely on.
 */
export const orders = orderUseCases({
  repository: dynamoDbOrderRepository(requiredEnv(tableNameVariable(ordersService.name))),
  newId: monotonicFactory(),
  now: () => new Date(),
});
