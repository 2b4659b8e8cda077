import { monotonicFactory } from 'ulid';
import { requiredEnv } from '../shared/env.js';
import { tableNameVariable } from '../shared/service-definition.js';
import { dynamoDbOrderRepository } from './adapters/order-repository.js';
import { type OrderDependencies, orderUseCases } from './domain/order-use-cases.js';
import { ordersService } from './service.js';

/** Fifteen minutes: well past the saga's 270-second execution timeout and a delayed start. */
const defaultSettlementDeadlineSeconds = 900;

/**
 * The orders service wired to DynamoDB, built once per cold start. Monotonic ULIDs keep orders
 * placed within one millisecond in placement order, which the newest-first lists rely on.
 */
export const orderDependencies: OrderDependencies = {
  repository: dynamoDbOrderRepository(requiredEnv(tableNameVariable(ordersService.name))),
  newId: monotonicFactory(),
  now: () => new Date(),
  settlementDeadlineSeconds: Number(
    process.env.ORDER_SETTLEMENT_DEADLINE_SECONDS ?? defaultSettlementDeadlineSeconds,
  ),
};

export const orders = orderUseCases(orderDependencies);
