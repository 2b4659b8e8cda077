/**
 * One DynamoDB Local for the integration and saga tiers (both list this file; the first starts it).
 * Tests reach it through AWS_ENDPOINT_URL_DYNAMODB, the SDK's own endpoint variable. Our modules
 * are loaded with tsx because jest loads global setup outside its module mapping.
 */
import { tsImport } from 'tsx/esm/api';
import type * as DynamoDbLocalModule from '../../sandbox/dynamodb-local.js';
import type { GlobalTestStateHolder } from './global-state.js';

export default async function setup(): Promise<void> {
  const holder = globalThis as GlobalTestStateHolder;
  holder.__serverlessSaasTestState ??= {};
  const state = holder.__serverlessSaasTestState;
  if (state.dynamoDb) return;
  const { startDynamoDbLocal, localCredentials, localRegion } = (await tsImport(
    '../../sandbox/dynamodb-local.ts',
    __filename,
  )) as typeof DynamoDbLocalModule;
  state.dynamoDb = await startDynamoDbLocal();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: state.dynamoDb.endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  });
}
