import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2WithRequestContext } from 'aws-lambda';
import { callerFromAuthorizerContext, tokenExpiryFromAuthorizerContext } from '../../shared/auth/caller.js';
import { instrumented } from '../../shared/instrumented.js';
import { connections } from '../composition.js';

type ConnectEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<{
  connectionId: string;
  authorizer?: Record<string, unknown>;
}>;

/**
 * Records the connection under the caller the authorizer verified, until the caller's token
 * expires. A user who already holds the most connections it may gets 429, and API Gateway refuses
 * the handshake.
 */
export const handler = instrumented<ConnectEvent, APIGatewayProxyResult>().handler(async (event) => {
  const { authorizer, connectionId } = event.requestContext;
  const outcome = await connections.connect(
    callerFromAuthorizerContext(authorizer),
    connectionId,
    tokenExpiryFromAuthorizerContext(authorizer),
  );
  return outcome === 'connected'
    ? { statusCode: 200, body: '' }
    : { statusCode: 429, body: 'Too Many Requests' };
});
