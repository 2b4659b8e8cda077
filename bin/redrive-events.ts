/**
 * `npm run redrive -- --stage dev`: sends the events each service's outbox publisher parked in its
 * undelivered-events queue to the bus again, and deletes those the bus accepted (the rest stay for
 * the next run). Uses the AWS credentials and region of the environment.
 */
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  parseEntry,
  redriveEntries,
  undeliveredEventsQueueName,
} from '../functions/platform/outbox/undelivered-events.js';
import { services } from '../functions/services.js';

const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' } } });
const namePrefix = `serverless-saas-${values.stage}`;
const sqs = new SQSClient({});
const eventBridge = new EventBridgeClient({});

for (const service of services.filter((entry) => (entry.publishes ?? []).length > 0)) {
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: undeliveredEventsQueueName(namePrefix, service.name) }),
  );
  let redriven = 0;
  let kept = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) break;
    const accepted = await redriveEntries(
      Messages.map((message) => parseEntry(message.Body ?? '{}')),
      async (entries) => (await eventBridge.send(new PutEventsCommand({ Entries: entries }))).Entries ?? [],
    );
    const done = Messages.filter((_, index) => accepted[index]);
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: done.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
    redriven += done.length;
    kept += Messages.length - done.length;
  }
  console.log(`${service.name}: ${redriven} event(s) sent again, ${kept} kept for the next run`);
}
