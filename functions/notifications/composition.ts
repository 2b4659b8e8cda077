import { requiredEnv } from '../shared/env.js';
import { tableNameVariable, webSocketManagementVariable } from '../shared/service-definition.js';
import { dynamoDbConnectionRepository } from './adapters/connection-repository.js';
import { dynamoDbInboxRepository } from './adapters/inbox-repository.js';
import { managementApiPusher } from './adapters/management-api-pusher.js';
import { connectionUseCases } from './domain/connection-use-cases.js';
import type { ConnectionPusher } from './domain/connections-port.js';
import { notificationUseCases } from './domain/notification-use-cases.js';
import { notificationsService } from './service.js';

const tableName = requiredEnv(tableNameVariable(notificationsService.name));

/** The notifications service wired to DynamoDB, built once per cold start. */
export const notifications = notificationUseCases({ inbox: dynamoDbInboxRepository(tableName) });

let pusher: ConnectionPusher | undefined;

/**
 * Built on first push: only the function whose subscription declares `uses: ['webSocketConnections']`
 * is given the management endpoint (and the grant to post to connections).
 */
const managementApi = (): ConnectionPusher => {
  pusher ??= managementApiPusher(requiredEnv(webSocketManagementVariable));
  return pusher;
};
const lazyPusher: ConnectionPusher = {
  push: (connectionId, message) => managementApi().push(connectionId, message),
  close: (connectionId) => managementApi().close(connectionId),
};

export const connections = connectionUseCases({
  connections: dynamoDbConnectionRepository(tableName),
  pusher: lazyPusher,
  now: () => new Date(),
});
