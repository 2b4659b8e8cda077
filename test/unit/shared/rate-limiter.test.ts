import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { RateLimiter } from '../../../functions/shared/rate-limiter.js';
import { contractRateLimits } from '../../../functions/shared/rate-limits.js';

process.env.AWS_REGION = 'eu-west-1';

const ddb = mockClient(DynamoDBDocumentClient);
const now = 1_000_000;
let limiter: RateLimiter;
const storedAt = (tat: number) =>
  new ConditionalCheckFailedException({
    message: 'failed',
    $metadata: {},
    Item: { tat: { N: String(tat) } },
  });

beforeEach(() => {
  ddb.reset();
  limiter = new RateLimiter('rate-limits-test', contractRateLimits, () => now);
});

const updates = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);

describe('RateLimiter.take', () => {
  it('advances a busy bucket atomically after the rested write fails', async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(storedAt(now + 500))
      .resolves({});

    expect(await limiter.take('k', contractRateLimits.user)).toBeUndefined();
    const [rested, busy] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(rested?.ConditionExpression).toBe('attribute_not_exists(tat) OR tat <= :now');
    expect(busy?.UpdateExpression).toBe('SET tat = tat + :interval, expiresAt = :expiresAt');
    expect(busy?.ExpressionAttributeValues).toMatchObject({ ':interval': 100, ':latest': now + 1900 });
  });

  it('refuses from what the failed write saw when the bucket is past its burst', async () => {
    ddb.on(UpdateCommand).rejects(storedAt(now + 2500));

    expect(await limiter.take('k', contractRateLimits.user)).toBe(1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('admits a request whose writes keep racing at the rested edge, where the bucket has room', async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(storedAt(now + 1))
      .rejectsOnce(storedAt(now - 1))
      .rejectsOnce(storedAt(now + 1))
      .rejectsOnce(storedAt(now - 1));

    expect(await limiter.take('k', contractRateLimits.user)).toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(4);
  });

  it('tries the busy write first for a bucket this instance last left busy: one write a request', async () => {
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { tat: now + 100 } })
      .resolvesOnce({ Attributes: { tat: now + 200 } });

    expect(await limiter.take('k', contractRateLimits.user)).toBeUndefined();
    expect(await limiter.take('k', contractRateLimits.user)).toBeUndefined();

    const [rested, busy] = updates();
    expect(rested?.UpdateExpression).toBe('SET tat = :next, expiresAt = :expiresAt');
    expect(rested?.ReturnValues).toBe('UPDATED_NEW');
    expect(busy?.UpdateExpression).toBe('SET tat = tat + :interval, expiresAt = :expiresAt');
    expect(updates()).toHaveLength(2);
  });

  it('refuses a bucket it last saw past its burst without another write', async () => {
    ddb.on(UpdateCommand).rejects(storedAt(now + 2500));

    expect(await limiter.take('k', contractRateLimits.user)).toBe(1);
    expect(await limiter.take('k', contractRateLimits.user)).toBe(1);

    expect(updates()).toHaveLength(1);
    // Another bucket is judged on its own.
    ddb.on(UpdateCommand).resolves({ Attributes: { tat: now + 100 } });
    expect(await limiter.take('other', contractRateLimits.user)).toBeUndefined();
  });

  it('corrects a wrong guess from what the failed write returns', async () => {
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { tat: now + 100 } })
      // Other instances filled the bucket meanwhile: the busy write's condition fails.
      .rejectsOnce(storedAt(now + 2500));

    expect(await limiter.take('k', contractRateLimits.user)).toBeUndefined();
    expect(await limiter.take('k', contractRateLimits.user)).toBe(1);
    expect(updates()).toHaveLength(2);
  });

  it('lets a store error through to the caller, which fails open', async () => {
    ddb.on(UpdateCommand).rejects(new Error('ThrottlingException'));

    await expect(limiter.take('k', contractRateLimits.user)).rejects.toThrow('ThrottlingException');
  });
});
