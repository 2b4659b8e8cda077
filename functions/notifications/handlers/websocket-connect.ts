import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2WithRequestContext } from 'aws-lambda';
import { callerFromAuthorizerContext } from '../../shared/auth/caller.js';
import { instrumented } from '../../shared/instrumented.js';
import { connections } from '../composition.js';

type ConnectEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<{
  connectionId: string;
  authorizer?: Record<string, unknown>;
}>;

/** Records the connection under the caller the authorizer verified. */
export const handler = instrumented<ConnectEvent, APIGatewayProxyResult>().handler(async (event) => {
  await connections.connect(
    callerFromAuthorizerContext(event.requestContext.authorizer),
    event.requestContext.connectionId,
  );
  return { statusCode: 200, body: '' };
});
