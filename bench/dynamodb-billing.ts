/**
 * DynamoDB's billing rules for writes, as the cost model applies them to items it sizes itself
 * (DynamoDB Local under-reports transactions). Pure: no client, no environment.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { IndexDefinition, TableDefinition } from '../functions/shared/service-definition.js';

export type Item = Record<string, unknown>;

/**
 * An item's size as DynamoDB bills it: each attribute's name and value in bytes; a number takes
 * about one byte per two digits plus one; a map or list 3 bytes plus its elements (1 byte each).
 */
function itemSizeBytes(item: Record<string, AttributeValue>): number {
  const valueSize = (value: AttributeValue): number => {
    if (value.S !== undefined) return Buffer.byteLength(value.S);
    if (value.N !== undefined) return Math.ceil(value.N.replace(/[-.]/g, '').length / 2) + 1;
    if (value.B !== undefined) return value.B.byteLength;
    if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
    if (value.SS) return value.SS.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
    if (value.NS) return value.NS.reduce((sum, entry) => sum + valueSize({ N: entry }), 0);
    if (value.L) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
    if (value.M) return 3 + itemSizeBytes(value.M) + Object.keys(value.M).length;
    return 0;
  };
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value),
    0,
  );
}

const kilobytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

const marshallable = (item: Item) => marshall(item, { removeUndefinedValues: true });
/** An item's billed size in whole kilobytes, at least one. */
export const itemKilobytes = (item: Item): number => kilobytes(itemSizeBytes(marshallable(item)));

/** What an index holds of an item: the table's and the index's keys, and its projection. */
function projected(item: Item, table: TableDefinition, index: IndexDefinition): Item {
  if (!index.include) return item;
  const names = [table.partitionKey, table.sortKey, index.partitionKey, index.sortKey, ...index.include];
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.includes(name)));
}

/**
 * The index write units of one item's write, as DynamoDB bills them: an entry put (1 per KB of its
 * projection), an entry deleted (1), both when the index key changed, and none when nothing the
 * index holds changed.
 */
export function indexWriteUnits(
  table: TableDefinition,
  before: Item | undefined,
  after: Item | undefined,
): number {
  let units = 0;
  for (const index of table.globalSecondaryIndexes) {
    const was = before && index.partitionKey in before ? projected(before, table, index) : undefined;
    const is = after && index.partitionKey in after ? projected(after, table, index) : undefined;
    if (!is) {
      if (was) units += 1;
      continue;
    }
    // A changed key moves the entry: the old one is deleted, then the new one put.
    if (
      was &&
      (was[index.partitionKey] !== is[index.partitionKey] || was[index.sortKey] !== is[index.sortKey])
    )
      units += 1;
    if (!was || !isDeepStrictEqual(marshallable(was), marshallable(is))) units += itemKilobytes(is);
  }
  return units;
}
