/**
 * The WebSocket API's REQUEST authorizer on `$connect`: the access token arrives as `?token=` (a
 * browser cannot set headers on a WebSocket) and is verified exactly as the REST authorizer does.
 * API Gateway answers 401 and opens no connection when it refuses; the caller in the context
 * reaches `$connect` and `$disconnect`.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorize } from '../../shared/auth/authorize.js';
import { tokenVerifierFromEnvironment } from '../../shared/auth/token-verifier.js';

const verify = tokenVerifierFromEnvironment();

export function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  return authorize(verify, event.queryStringParameters?.token, event.methodArn);
}
