import type { Context } from 'aws-lambda';
import { functionDefaults } from '../functions/shared/service-definition.js';

/**
 * The Lambda context a handler sees offline: enough for Powertools and middy's timeout logic. The
 * sandbox gives each declared function its own timeout and memory (see `FunctionSettings`).
 */
export function lambdaContext(
  functionName: string,
  requestId: string,
  timeoutMs: number = functionDefaults.timeoutSeconds * 1000,
  memoryMB: number = functionDefaults.memoryMB,
): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'sandbox',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
