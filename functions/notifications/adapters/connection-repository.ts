import { DeleteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { documentClient, failedConditions, isConditionFailure } from '../../shared/dynamodb.js';
import type { Connection, ConnectionRepository } from '../domain/connections-port.js';
import {
  adminConnectionKey,
  adminConnectionsPartition,
  connectionEntityType,
  connectionSlotKey,
  userConnectionsPartition,
} from './notifications-keys.js';

const connectionItem = z.object({
  connectionId: z.string(),
  userId: z.string(),
  isAdmin: z.boolean(),
  expiresAt: z.number(),
  slot: z.number(),
});

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function dynamoDbConnectionRepository(tableName: string): ConnectionRepository {
  async function itemsOf(partition: string) {
    const items: z.infer<typeof connectionItem>[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ConsistentRead: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []).map((item) => connectionItem.parse(item)));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }

  const toConnection = ({
    slot: _slot,
    expiresAt,
    ...connection
  }: z.infer<typeof connectionItem>): Connection => ({
    ...connection,
    expiresAt: new Date(expiresAt * 1000),
  });

  return {
    async add(tenantId, connection, limit, now) {
      const held = new Map(
        (await itemsOf(userConnectionsPartition(tenantId, connection.userId))).map((item) => [
          item.slot,
          item,
        ]),
      );
      for (let slot = 0; slot < limit; slot += 1) {
        const current = held.get(slot);
        if (current && current.expiresAt > epochSeconds(now)) continue;
        const item = {
          entityType: connectionEntityType,
          connectionId: connection.connectionId,
          userId: connection.userId,
          isAdmin: connection.isAdmin,
          expiresAt: epochSeconds(connection.expiresAt),
          slot,
        };
        try {
          await documentClient.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...connectionSlotKey(tenantId, connection.userId, slot), ...item },
                    // A slot is free when empty or when its connection's token has expired.
                    ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
                    ExpressionAttributeValues: { ':now': epochSeconds(now) },
                  },
                },
                ...(connection.isAdmin
                  ? [
                      {
                        Put: {
                          TableName: tableName,
                          Item: {
                            ...adminConnectionKey(tenantId, connection.userId, connection.connectionId),
                            ...item,
                          },
                        },
                      },
                    ]
                  : []),
              ],
            }),
          );
          return true;
        } catch (error) {
          // Another connection of the user took this slot first: try the next one.
          if (!failedConditions(error)?.includes(0)) throw error;
        }
      }
      return false;
    },

    async remove(tenantId, connection) {
      const slots = await itemsOf(userConnectionsPartition(tenantId, connection.userId));
      const held = slots.find((item) => item.connectionId === connection.connectionId);
      await Promise.all([
        held &&
          documentClient
            .send(
              new DeleteCommand({
                TableName: tableName,
                Key: connectionSlotKey(tenantId, connection.userId, held.slot),
                // The slot may have been taken by a newer connection since it was read.
                ConditionExpression: 'connectionId = :connectionId',
                ExpressionAttributeValues: { ':connectionId': connection.connectionId },
              }),
            )
            .catch((error: unknown) => {
              if (!isConditionFailure(error)) throw error;
            }),
        connection.isAdmin &&
          documentClient.send(
            new DeleteCommand({
              TableName: tableName,
              Key: adminConnectionKey(tenantId, connection.userId, connection.connectionId),
            }),
          ),
      ]);
    },

    async audience(tenantId, ownerId) {
      const [owner, admins] = await Promise.all([
        itemsOf(userConnectionsPartition(tenantId, ownerId)),
        itemsOf(adminConnectionsPartition(tenantId)),
      ]);
      const byId = new Map([...owner, ...admins].map((item) => [item.connectionId, toConnection(item)]));
      return [...byId.values()];
    },
  };
}
