import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authorize } from '../../shared/auth/authorize.js';
import { tokenVerifierFromEnvironment } from '../../shared/auth/token-verifier.js';

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
  const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(event.authorizationToken ?? '')?.[1];
  return authorize(verify, token, stageWildcard(event.methodArn));
}
