import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2WithRequestContext } from 'aws-lambda';
import { callerFromAuthorizerContext } from '../../shared/auth/caller.js';
import { instrumented } from '../../shared/instrumented.js';
import { connections } from '../composition.js';

type DisconnectEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<{
  connectionId: string;
  authorizer?: Record<string, unknown>;
}>;

/** Forgets the connection; a connection whose $disconnect never comes expires by TTL or is dropped on a 410. */
export const handler = instrumented<DisconnectEvent, APIGatewayProxyResult>().handler(async (event) => {
  await connections.disconnect(
    callerFromAuthorizerContext(event.requestContext.authorizer),
    event.requestContext.connectionId,
  );
  return { statusCode: 200, body: '' };
});
