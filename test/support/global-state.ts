import type { ChildProcess } from 'node:child_process';
import type { DynamoDbLocal } from '../../sandbox/dynamodb-local.js';

/**
 * Jest runs global setup and teardown in one process but loads them as separate CommonJS modules
 * without the project's module mapping, so what setup started reaches teardown through globalThis.
 */
export interface GlobalTestState {
  dynamoDb?: DynamoDbLocal;
  sandbox?: ChildProcess;
}

export type GlobalTestStateHolder = typeof globalThis & { __serverlessSaasTestState?: GlobalTestState };
