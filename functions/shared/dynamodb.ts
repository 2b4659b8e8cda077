/**
 * The DynamoDB document client (module scope, traced), tenant-bound pagination cursors and the
 * reading of transaction cancellation reasons. The endpoint comes from the SDK's standard
 * `AWS_ENDPOINT_URL_DYNAMODB` variable, which is how the sandbox points it at DynamoDB Local.
 *
 * @example
 * const { Items, LastEvaluatedKey } = await documentClient.send(new QueryCommand({ ..., ExclusiveStartKey: decodeCursor(tenantId, cursor, pk) }));
 * const nextCursor = encodeCursor(tenantId, LastEvaluatedKey);
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BadRequestError } from './errors.js';
import type { Page, PageRequest } from './pagination.js';
import { traced } from './powertools.js';
import { tenantPartition } from './tenant-keys.js';

export const documentClient = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});

export type ItemKey = Record<string, unknown>;

interface CursorPayload {
  t: string;
  k: ItemKey;
}

export function encodeCursor(tenantId: string, lastEvaluatedKey: ItemKey | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  const payload: CursorPayload = { t: tenantId, k: lastEvaluatedKey };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * A cursor is accepted only for the tenant it was issued to and only if the key it carries lies in
 * the partition being queried, so a cursor can never page into another tenant's items. It must
 * hold exactly the key attributes the query pages by (`keyAttributes`: the table's keys, and the
 * index's on an index), so a forged one is a 400 instead of a DynamoDB validation error.
 */
export function decodeCursor(
  tenantId: string,
  cursor: string | undefined,
  expected: { keyAttribute: string; value: string; keyAttributes: readonly string[] },
): ItemKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = new BadRequestError('The cursor is not valid for this request.', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof payload !== 'object' || payload === null) throw invalid;
  const { t, k } = payload as Partial<CursorPayload>;
  if (t !== tenantId || typeof k !== 'object' || k === null || k[expected.keyAttribute] !== expected.value) {
    throw invalid;
  }
  const allStrings = Object.values(k).every((value) => typeof value === 'string');
  const attributes = Object.keys(k);
  const exactKeys =
    attributes.length === expected.keyAttributes.length &&
    expected.keyAttributes.every((attribute) => attributes.includes(attribute));
  if (!allStrings || !exactKeys) throw invalid;
  return k;
}

/**
 * One page of a tenant's items of one kind, read by sort-key prefix from the tenant's partition
 * (or one of its sub-partitions, such as a user's inbox), with a cursor bound to the tenant and the
 * partition. Items come back raw: each repository parses its own.
 */
export async function queryTenantItems(
  tableName: string,
  tenantId: string,
  sortKeyPrefix: string,
  { limit, cursor }: PageRequest,
  options: { partition?: string; newestFirst?: boolean } = {},
): Promise<Page<Record<string, unknown>>> {
  const partition = options.partition ?? tenantPartition(tenantId);
  if (!partition.startsWith(tenantPartition(tenantId)))
    throw new Error(`${partition} is not a partition of the tenant`);
  const { Items = [], LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': sortKeyPrefix },
      Limit: limit,
      ScanIndexForward: !options.newestFirst,
      ExclusiveStartKey: decodeCursor(tenantId, cursor, {
        keyAttribute: 'PK',
        value: partition,
        keyAttributes: ['PK', 'SK'],
      }),
    }),
  );
  const nextCursor = encodeCursor(tenantId, LastEvaluatedKey);
  return { items: Items, ...(nextCursor ? { nextCursor } : {}) };
}

/** The reason code of each item of a cancelled transaction (`None`, `ConditionalCheckFailed`, `TransactionConflict`...), or undefined for any other error. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

/** Indexes of the transaction items whose condition failed, or undefined for any other error. */
export function failedConditions(error: unknown): number[] | undefined {
  const failed = (cancellationCodes(error) ?? []).flatMap((code, index) =>
    code === 'ConditionalCheckFailed' ? [index] : [],
  );
  return failed.length > 0 ? failed : undefined;
}

/** A single-item write whose ConditionExpression did not hold (with the old item, if it was asked for). */
export function isConditionFailure(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException;
}

/** A Put that creates the item and fails its condition when the key exists (a transaction item, or `.Put` for a PutCommand). */
export function insertPut<Item extends object>(
  tableName: string,
  item: Item,
): { Put: { TableName: string; Item: Item; ConditionExpression: string } } {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } };
}

/**
 * Writes the item unless its key exists, and returns what the key holds afterwards: the item, or
 * the one another write stored first (the failed condition returns it, so no read follows). With
 * `expiredBefore` (epoch seconds), a stored item whose TTL attribute `expiresAt` is older counts as
 * absent: TTL deletes it only eventually, and until then it must not hold its key.
 */
export async function putIfAbsentOrStored<Item extends ItemKey>(
  tableName: string,
  item: Item,
  options: { expiredBefore?: number } = {},
): Promise<Item> {
  const { Put } = insertPut(tableName, item);
  try {
    await documentClient.send(
      new PutCommand({
        ...Put,
        ...(options.expiredBefore === undefined
          ? {}
          : {
              ConditionExpression: `${Put.ConditionExpression} OR expiresAt < :expiredBefore`,
              ExpressionAttributeValues: { ':expiredBefore': options.expiredBefore },
            }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return item;
  } catch (error) {
    // Items under one key are written by one piece of code, so the stored one has the same shape.
    if (isConditionFailure(error) && error.Item) return unmarshall(error.Item) as Item;
    throw error;
  }
}

/** Writes the item unless its key exists: true if written, false if another write got there first. */
export async function putIfAbsent(tableName: string, item: ItemKey): Promise<boolean> {
  try {
    await documentClient.send(new PutCommand(insertPut(tableName, item).Put));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
