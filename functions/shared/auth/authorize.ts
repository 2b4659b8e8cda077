/**
 * What every API Gateway Lambda authorizer does with a bearer token (the REST TOKEN authorizer,
 * the WebSocket `$connect` REQUEST authorizer): verify it, and allow `resource` with the caller as
 * context, or throw `Unauthorized`, the one message API Gateway turns into a 401.
 *
 * @example
 * export const handler = (event) => authorize(verify, token, event.methodArn);
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { authorizerContext, type VerifiedCaller } from './caller.js';

export async function authorize(
  verify: (token: string) => Promise<VerifiedCaller>,
  token: string | undefined,
  resource: string,
): Promise<APIGatewayAuthorizerResult> {
  if (!token) throw new Error('Unauthorized');
  let caller: VerifiedCaller;
  try {
    caller = await verify(token);
  } catch (error) {
    // The runtime's JSON log format structures console output: the authorizer runs before every
    // uncached request, so it loads no logging library (Powertools Logger costs ~14 ms of init).
    console.info('token rejected:', error instanceof Error ? error.message : String(error));
    throw new Error('Unauthorized');
  }
  return {
    principalId: caller.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
    },
    context: authorizerContext(caller),
  };
}
