import { indexWriteUnits, itemKilobytes } from '../../../bench/dynamodb-billing.js';
import type { TableDefinition } from '../../../functions/shared/service-definition.js';

/** A table with one index holding every attribute and one holding only `status`. */
const table: TableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalSecondaryIndexes: [
    { indexName: 'All', partitionKey: 'ALLPK', sortKey: 'ALLSK' },
    { indexName: 'Narrow', partitionKey: 'NPK', sortKey: 'NSK', include: ['status'] },
  ],
  timeToLiveAttribute: 'expiresAt',
};

const order = { PK: 'T#t1', SK: 'ORDER#o1', status: 'PENDING', note: 'gift', total: 100 };
const inAll = { ALLPK: 'T#t1#USER#u1', ALLSK: 'ORDER#o1' };
const inNarrow = { NPK: 'PENDING#0', NSK: 'o1' };

describe('DynamoDB write billing as the cost model applies it', () => {
  it.each([
    ['an item in no index', 0, undefined, order],
    ['a new item in both indexes', 2, undefined, { ...order, ...inAll, ...inNarrow }],
    [
      'an attribute only the full index holds changed',
      1,
      { ...order, ...inAll, ...inNarrow },
      { ...order, note: 'none', ...inAll, ...inNarrow },
    ],
    [
      'an attribute both indexes hold changed',
      2,
      { ...order, ...inAll, ...inNarrow },
      { ...order, status: 'CONFIRMED', ...inAll, ...inNarrow },
    ],
    ['nothing changed', 0, { ...order, ...inAll }, { ...order, ...inAll }],
    ['an index key removed (its entry deleted)', 1, { ...order, ...inNarrow }, order],
    [
      'an index key changed (entry deleted, then put)',
      2,
      { ...order, ...inNarrow },
      { ...order, ...inNarrow, NPK: 'PENDING#1' },
    ],
    ['the item deleted', 2, { ...order, ...inAll, ...inNarrow }, undefined],
  ])('%s: %i index write units', (_case, units, before, after) => {
    expect(indexWriteUnits(table, before, after)).toBe(units);
  });

  it('bills an entry by the kilobytes of what its index holds', () => {
    const large = { ...order, ...inAll, ...inNarrow, note: 'x'.repeat(1500) };

    // The full index holds the 1.5 KB note (2 units); the narrow one only keys and status (1).
    expect(indexWriteUnits(table, undefined, large)).toBe(3);
  });

  it('sizes an item as attribute names plus values, in whole kilobytes of at least one', () => {
    expect(itemKilobytes({ PK: 'a' })).toBe(1);
    expect(itemKilobytes({ PK: 'a'.repeat(1022) })).toBe(1);
    expect(itemKilobytes({ PK: 'a'.repeat(1023) })).toBe(2);
    expect(itemKilobytes({ list: ['x'.repeat(2000), 'y'.repeat(2000)] })).toBe(4);
  });
});
