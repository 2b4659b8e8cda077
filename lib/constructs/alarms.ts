/**
 * Where alarms go and the alarms every stack shares. Each stage has one SNS topic with a fixed
 * name (the platform stack creates it); an aspect points every alarm of every stack at it by ARN,
 * so no alarm can be forgotten and no stack imports the topic through a CloudFormation export.
 */
import { Duration, type IAspect, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct, IConstruct } from 'constructs';
import { firstOccurrenceAlarm } from './holding-queue.js';

export const alarmTopicName = (namePrefix: string): string => `${namePrefix}-alarms`;

/** The stage's alarm topic, TLS only (no KMS key: see the acknowledgement). Subscribe email, chat or paging to it. */
export function alarmTopic(scope: Construct, namePrefix: string): Topic {
  const topic = new Topic(scope, 'AlarmTopic', {
    topicName: alarmTopicName(namePrefix),
    displayName: `${namePrefix} alarms`,
    enforceSSL: true,
  });
  Validations.of(topic).acknowledge({
    id: 'AwsSolutions-SNS2',
    reason:
      'CloudWatch can publish to a KMS-encrypted topic only through a customer managed key whose policy admits it; alarm messages carry metric names and thresholds, no customer data.',
  });
  return topic;
}

/** Sends every alarm's ALARM and OK transitions to the stage's topic, found by its fixed name. */
export class NotifyAlarmTopic implements IAspect {
  private readonly topics = new Map<Stack, ITopic>();

  constructor(private readonly namePrefix: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof Alarm)) return;
    const stack = Stack.of(node);
    let topic = this.topics.get(stack);
    if (!topic) {
      topic = Topic.fromTopicArn(
        stack,
        'StageAlarmTopic',
        stack.formatArn({ service: 'sns', resource: alarmTopicName(this.namePrefix) }),
      );
      this.topics.set(stack, topic);
    }
    node.addAlarmAction(new SnsAction(topic));
    node.addOkAction(new SnsAction(topic));
  }
}

/** CloudWatch metric math takes at most 10 metrics per alarm. */
const metricsPerAlarm = 10;

/**
 * Errors and throttles of a stack's functions: one alarm each per ten functions, on the sum, so
 * any function that errs or is throttled in a minute raises it.
 */
export function functionHealthAlarms(scope: Construct, functions: readonly IFunction[]): Alarm[] {
  const alarms: Alarm[] = [];
  for (let start = 0; start < functions.length; start += metricsPerAlarm) {
    const group = functions.slice(start, start + metricsPerAlarm);
    const suffix = functions.length > metricsPerAlarm ? String(start / metricsPerAlarm + 1) : '';
    const sum = (metric: (fn: IFunction) => Metric, label: string) =>
      new MathExpression({
        expression: group.map((_, index) => `m${index}`).join(' + '),
        usingMetrics: Object.fromEntries(group.map((fn, index) => [`m${index}`, metric(fn)])),
        label,
        period: Duration.minutes(1),
      });
    alarms.push(
      firstOccurrenceAlarm(
        scope,
        `FunctionErrorsAlarm${suffix}`,
        sum((fn) => fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(1) }), 'errors'),
        `A function of this stack failed an invocation (Lambda Errors, ${group.length} functions summed).`,
      ),
      firstOccurrenceAlarm(
        scope,
        `FunctionThrottlesAlarm${suffix}`,
        sum((fn) => fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(1) }), 'throttles'),
        `A function of this stack was throttled (Lambda Throttles, ${group.length} functions summed): raise its concurrency or the account limit.`,
      ),
    );
  }
  return alarms;
}
