import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { decodeCursor, encodeCursor, failedConditions } from '../../../functions/shared/dynamodb.js';
import { BadRequestError } from '../../../functions/shared/errors.js';

const partition = { keyAttribute: 'PK', value: 'T#t1', keyAttributes: ['PK', 'SK'] };
const lastKey = { PK: 'T#t1', SK: 'PRODUCT#01J' };

describe('pagination cursors', () => {
  it('round-trips the last evaluated key for the same tenant', () => {
    const cursor = encodeCursor('t1', lastKey);

    expect(decodeCursor('t1', cursor, partition)).toEqual(lastKey);
  });

  it('encodes no cursor when there is no next page', () => {
    expect(encodeCursor('t1', undefined)).toBeUndefined();
  });

  it("rejects another tenant's cursor", () => {
    const cursor = encodeCursor('t2', { PK: 'T#t2', SK: 'PRODUCT#01J' });

    expect(() => decodeCursor('t1', cursor, partition)).toThrow(BadRequestError);
  });

  it('rejects a cursor re-labelled with the tenant but pointing into another partition', () => {
    const forged = Buffer.from(JSON.stringify({ t: 't1', k: { PK: 'T#t2', SK: 'PRODUCT#01J' } })).toString(
      'base64url',
    );

    expect(() => decodeCursor('t1', forged, partition)).toThrow(BadRequestError);
  });

  it.each([
    ['an extra attribute', { ...lastKey, GSI1PK: 'T#t1' }],
    ['a missing attribute', { PK: 'T#t1' }],
  ])('rejects a cursor with %s, before DynamoDB sees it', (_, key) => {
    expect(() => decodeCursor('t1', encodeCursor('t1', key), partition)).toThrow(BadRequestError);
  });

  it.each([
    ['not-base64-json'],
    [Buffer.from('[1,2]').toString('base64url')],
    [Buffer.from('{"t":"t1","k":{"PK":"T#t1","SK":5}}').toString('base64url')],
  ])('rejects a malformed cursor %s', (cursor) => {
    expect(() => decodeCursor('t1', cursor, partition)).toThrow(BadRequestError);
  });
});

describe('failedConditions', () => {
  it('names the transaction items whose condition failed', () => {
    const error = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });

    expect(failedConditions(error)).toEqual([1]);
  });

  it('returns undefined for cancellations without a failed condition and for other errors', () => {
    const conflict = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }],
    });

    expect(failedConditions(conflict)).toBeUndefined();
    expect(failedConditions(new Error('boom'))).toBeUndefined();
  });
});
