/**
 * What a Lambda event source mapping on a DynamoDB stream does, offline: poll every shard of the
 * table's stream, keep the records that pass the mapping's filter (same pattern as the CDK
 * mapping), invoke the handler in batches, retry from the first reported batch item failure,
 * bisect a batch that throws, and after the retries are spent send it to a dead-letter list.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { compileEventPattern } from './event-pattern.js';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  filterPattern: Readonly<Record<string, unknown>>;
  handler: StreamHandler;
  batchSize?: number;
  pollIntervalMs?: number;
  maxRetries?: number;
  onDeadLetter?: (records: DynamoDBRecord[], error: string) => void;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every record written so far has been read and handled. */
  drain(): Promise<void>;
}

function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const { dynamodb } = record;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb?.Keys ? { Keys: dynamodb.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'] } : {}),
      ...(dynamodb?.NewImage
        ? { NewImage: dynamodb.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] }
        : {}),
      ...(dynamodb?.OldImage
        ? { OldImage: dynamodb.OldImage as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'] }
        : {}),
      ...(dynamodb?.SequenceNumber ? { SequenceNumber: dynamodb.SequenceNumber } : {}),
      ...(dynamodb?.SizeBytes === undefined ? {} : { SizeBytes: dynamodb.SizeBytes }),
      ...(dynamodb?.StreamViewType ? { StreamViewType: dynamodb.StreamViewType } : {}),
      ...(dynamodb?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(dynamodb.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, handler, batchSize = 100, pollIntervalMs = 50, maxRetries = 5 } = options;
  const passesFilter = compileEventPattern(JSON.stringify(options.filterPattern));
  const iterators = new Map<string, string | undefined>();
  /** The last sequence number read per shard, to resume exactly after it when an iterator dies. */
  const positions = new Map<string, string>();
  const closedShards = new Set<string>();
  let stopped = false;
  /** Counts polls by their start; a drain waits for an empty poll that started after it was asked. */
  let pollsStarted = 0;
  let drainWaiters: { afterPoll: number; resolve: () => void }[] = [];

  async function invokeWithRetries(batch: DynamoDBRecord[]): Promise<void> {
    let remaining = batch;
    for (let attempt = 0; remaining.length > 0; attempt += 1) {
      let failedFrom: number;
      try {
        const result = await handler({ Records: remaining });
        const failedIds = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        if (failedIds.size === 0) return;
        failedFrom = remaining.findIndex((record) => failedIds.has(record.dynamodb?.SequenceNumber ?? ''));
        if (failedFrom < 0) failedFrom = 0;
      } catch (error) {
        if (remaining.length > 1) {
          const middle = Math.ceil(remaining.length / 2);
          await invokeWithRetries(remaining.slice(0, middle));
          await invokeWithRetries(remaining.slice(middle));
          return;
        }
        if (attempt >= maxRetries) {
          options.onDeadLetter?.(remaining, error instanceof Error ? error.message : String(error));
          return;
        }
        failedFrom = 0;
      }
      if (attempt >= maxRetries) {
        options.onDeadLetter?.(remaining.slice(failedFrom), 'batch item failures after retries');
        return;
      }
      remaining = remaining.slice(failedFrom);
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }

  async function iteratorFor(shardId: string): Promise<string | undefined> {
    const after = positions.get(shardId);
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  async function refreshShards(): Promise<void> {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || closedShards.has(shard.ShardId) || iterators.get(shard.ShardId)) continue;
      iterators.set(shard.ShardId, await iteratorFor(shard.ShardId));
    }
  }

  /** DynamoDB Local invalidates iterators taken on an empty shard; a fresh one resumes where we were. */
  async function getRecords(shardId: string, iterator: string) {
    try {
      return await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
      iterators.set(shardId, undefined);
      return { Records: [], NextShardIterator: undefined, retryLater: true };
    }
  }

  async function pollOnce(): Promise<boolean> {
    await refreshShards();
    let sawRecords = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const response = await getRecords(shardId, iterator);
      const { Records = [], NextShardIterator } = response;
      if ('retryLater' in response) {
        sawRecords = true;
        continue;
      }
      iterators.set(shardId, NextShardIterator);
      if (!NextShardIterator) closedShards.add(shardId);
      const lastSequence = Records.at(-1)?.dynamodb?.SequenceNumber;
      if (lastSequence) positions.set(shardId, lastSequence);
      if (Records.length > 0) sawRecords = true;
      const matching = Records.map((record) => toLambdaRecord(record, streamArn)).filter((record) =>
        passesFilter(JSON.parse(JSON.stringify(record))),
      );
      if (matching.length > 0) await invokeWithRetries(matching);
    }
    return sawRecords;
  }

  const loop = (async () => {
    while (!stopped) {
      pollsStarted += 1;
      const poll = pollsStarted;
      try {
        if (!(await pollOnce())) {
          for (const waiter of drainWaiters.filter((w) => w.afterPoll < poll)) waiter.resolve();
          drainWaiters = drainWaiters.filter((w) => w.afterPoll >= poll);
        }
      } catch (error) {
        if (!stopped) console.error(`[sandbox] stream poller ${streamArn}:`, error);
      }
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      for (const waiter of drainWaiters) waiter.resolve();
      drainWaiters = [];
    },
    drain() {
      return new Promise<void>((resolve) => drainWaiters.push({ afterPoll: pollsStarted, resolve }));
    },
  };
}
