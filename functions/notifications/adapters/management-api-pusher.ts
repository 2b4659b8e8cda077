/**
 * Pushes through the API Gateway management API (`PostToConnection`, `DeleteConnection`); the
 * sandbox answers the same API, so the same code runs offline. A 410 (GoneException) means the
 * client went away.
 */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { traced } from '../../shared/powertools.js';
import type { ConnectionPusher } from '../domain/connections-port.js';

export function managementApiPusher(endpoint: string): ConnectionPusher {
  const client = traced(new ApiGatewayManagementApiClient({ endpoint }));
  return {
    async push(connectionId, message) {
      try {
        await client.send(
          new PostToConnectionCommand({
            ConnectionId: connectionId,
            Data: Buffer.from(JSON.stringify(message)),
          }),
        );
        return 'sent';
      } catch (error) {
        if (error instanceof GoneException) return 'gone';
        throw error;
      }
    },

    async close(connectionId) {
      try {
        await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      } catch (error) {
        if (!(error instanceof GoneException)) throw error;
      }
    },
  };
}
