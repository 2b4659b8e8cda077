/**
 * The WebSocket API's REQUEST authorizer on `$connect`: the access token arrives as `?token=` (a
 * browser cannot set headers on a WebSocket) and is verified exactly as the REST authorizer does.
 * API Gateway answers 401 and opens no connection when it throws `Unauthorized`; the caller in the
 * context reaches `$connect` and `$disconnect`.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizerContext } from '../../shared/auth/caller.js';
import { tokenVerifierFromEnvironment } from '../../shared/auth/token-verifier.js';
import { logger } from '../../shared/powertools.js';

const verify = tokenVerifierFromEnvironment();

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  if (!token) throw new Error('Unauthorized');
  try {
    const caller = await verify(token);
    return {
      principalId: caller.userId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: authorizerContext(caller),
    };
  } catch (error) {
    logger.info('websocket token rejected', {
      reason: error instanceof Error ? error.message : String(error),
    });
    throw new Error('Unauthorized');
  }
}
