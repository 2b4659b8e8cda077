import type { GlobalTestStateHolder } from './global-state.js';

export default async function teardown(): Promise<void> {
  const state = (globalThis as GlobalTestStateHolder).__serverlessSaasTestState;
  const dynamoDb = state?.dynamoDb;
  if (state) state.dynamoDb = undefined;
  await dynamoDb?.stop();
}
