import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { functionArnPlaceholder, orderSaga } from '../../statemachines/order-saga.js';
import { repositoryRoot } from '../constructs/service-function.js';

export interface SagaStackProps extends StackProps {
  bus: IEventBus;
  /** Task functions by ASL state name, from every service's `sagaTasks`. */
  taskFunctions: ReadonlyMap<string, IFunction>;
  logRetention: RetentionDays;
  protectData: boolean;
}

/** The order saga from its ASL file, started by a rule on OrderPlaced that targets it directly. */
export class SagaStack extends Stack {
  public readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: SagaStackProps) {
    super(scope, id, props);
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.stateMachine = new StateMachine(this, 'OrderSaga', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(join(repositoryRoot, orderSaga.definitionFile)),
      definitionSubstitutions: Object.fromEntries(
        [...props.taskFunctions].map(([state, taskFunction]) => [
          functionArnPlaceholder(state),
          taskFunction.functionArn,
        ]),
      ),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'SagaLogs', { retention: props.logRetention, removalPolicy }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    // Exactly the unqualified task ARNs the ASL names (grantInvoke would add every version, <arn>:*).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [...props.taskFunctions.values()].map((taskFunction) => taskFunction.functionArn),
      }),
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray and CloudWatch Logs delivery actions support no resource-level permissions.',
    });

    const startFailures = new Queue(this, 'StartFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(startFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is the rule target's dead-letter queue; it needs none of its own.",
    });
    new Rule(this, 'OnOrderPlaced', {
      eventBus: props.bus,
      eventPattern: { source: orderSaga.trigger.source, detailType: orderSaga.trigger['detail-type'] },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          deadLetterQueue: startFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
}
