import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authorizerContext } from '../../shared/auth/caller.js';
import { tokenVerifierFromEnvironment } from '../../shared/auth/token-verifier.js';
import { logger } from '../../shared/powertools.js';

const verify = tokenVerifierFromEnvironment();

/**
 * The allow covers every method of the stage (`.../stage/*`): API Gateway caches the result per
 * token, and a policy naming only the first route would deny the caller's next route from cache.
 * Roles are checked by each handler.
 */
function stageWildcard(methodArn: string): string {
  const [arnPrefix, stage] = methodArn.split('/');
  return `${arnPrefix}/${stage}/*`;
}

export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(event.authorizationToken ?? '');
  if (!match?.[1]) throw new Error('Unauthorized');
  try {
    const caller = await verify(match[1]);
    return {
      principalId: caller.userId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(event.methodArn) },
        ],
      },
      context: authorizerContext(caller),
    };
  } catch (error) {
    logger.info('token rejected', { reason: error instanceof Error ? error.message : String(error) });
    // API Gateway answers 401 (the UNAUTHORIZED gateway response) only for this exact message.
    throw new Error('Unauthorized');
  }
}
