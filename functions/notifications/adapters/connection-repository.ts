import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { documentClient } from '../../shared/dynamodb.js';
import type { ConnectionRepository } from '../domain/connections-port.js';
import { connectionEntityType, connectionKey, connectionsPartition } from './notifications-keys.js';

const connectionItem = z.object({ connectionId: z.string(), userId: z.string(), isAdmin: z.boolean() });

export function dynamoDbConnectionRepository(tableName: string): ConnectionRepository {
  return {
    async add(tenantId, connection, expiresAt) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...connectionKey(tenantId, connection.userId, connection.connectionId),
            entityType: connectionEntityType,
            ...connection,
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
          },
        }),
      );
    },

    async remove(tenantId, userId, connectionId) {
      await documentClient.send(
        new DeleteCommand({ TableName: tableName, Key: connectionKey(tenantId, userId, connectionId) }),
      );
    },

    async audience(tenantId, ownerId) {
      const connections = [];
      let exclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk',
            FilterExpression: 'userId = :owner OR isAdmin = :admin',
            ExpressionAttributeValues: {
              ':pk': connectionsPartition(tenantId),
              ':owner': ownerId,
              ':admin': true,
            },
            ExclusiveStartKey: exclusiveStartKey,
          }),
        );
        connections.push(...(page.Items ?? []).map((item) => connectionItem.parse(item)));
        exclusiveStartKey = page.LastEvaluatedKey;
      } while (exclusiveStartKey);
      return connections;
    },
  };
}
