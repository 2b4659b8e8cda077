import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnMethod } from 'aws-cdk-lib/aws-apigateway';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { services } from '../../functions/services.js';
import { outboxStreamFilter } from '../../functions/shared/outbox.js';
import { contractRateLimits } from '../../functions/shared/rate-limits.js';
import {
  functionDefaults,
  readTableActions,
  sagaTaskDefaults,
  subscriptionDefaults,
  type TableAction,
} from '../../functions/shared/service-definition.js';
import { stageConfig, stages } from '../../lib/config/stages.js';
import { pascalCase } from '../../lib/constructs/microservice.js';
import { buildServerlessSaas } from '../../lib/serverless-saas-app.js';
import { orderSaga } from '../../statemachines/order-saga.js';

type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
>;

let stacks: Stack[];
const templates = new Map<string, Template>();
/** Where synthesis wrote the bundles: each function's code, as deployed. */
let assemblyDir: string;

/** Asset hashes and bundle keys change with every code change; the snapshot keeps the shape. */
function normalised(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

function resourcesOf(type: string): [string, Resources[string], string][] {
  return [...templates].flatMap(([stackName, template]) =>
    Object.entries(template.toJSON().Resources as Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(
        ([logicalId, resource]) => [logicalId, resource, stackName] as [string, Resources[string], string],
      ),
  );
}

/** A second app for checks that need no bundles: skipping esbuild keeps each under a second or two. */
function appWithoutBundling(prefix: string): App {
  return new App({
    outdir: mkdtempSync(join(tmpdir(), prefix)),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
}

beforeAll(() => {
  assemblyDir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  const app = new App({ outdir: assemblyDir });
  const built = buildServerlessSaas(app, stages.dev, { account: '123456789012', region: 'eu-west-1' });
  stacks = [built.platform, ...built.serviceStacks, built.saga, built.apiStage];
  // Synthesis runs the cdk-nag AwsSolutions plugin and throws on any unacknowledged finding.
  app.synth();
  for (const stack of stacks) templates.set(stack.stackName, Template.fromStack(stack));
});

describe('the synthesized platform', () => {
  it('passes cdk-nag AwsSolutions: synthesis succeeded for every stack', () => {
    expect([...templates.keys()].sort()).toEqual(stacks.map((stack) => stack.stackName).sort());
  });

  it('fails synthesis on an unacknowledged cdk-nag finding', () => {
    const app = appWithoutBundling('cdk-nag-');
    buildServerlessSaas(app, stages.dev, { account: '123456789012', region: 'eu-west-1' });
    // A queue without encryption in transit or a dead-letter queue breaks AwsSolutions-SQS3/SQS4.
    new Queue(new Stack(app, 'NonCompliant'), 'PlainQueue');

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });

  it.each([
    'Platform',
    ...services.filter((service) => service.name !== 'platform').map((service) => pascalCase(service.name)),
    'Saga',
    'ApiStage',
  ])('matches the %s snapshot', (name) => {
    const template = templates.get(`ServerlessSaas-dev-${name}`);
    if (!template) throw new Error(`no stack ${name}`);

    expect(normalised(template)).toMatchSnapshot();
  });

  it('runs every function traced, on ARM64, on Node 24', () => {
    const functions = resourcesOf('AWS::Lambda::Function');

    const declared = services.reduce(
      (count, service) =>
        count +
        Object.keys(service.routes).length +
        Object.keys(service.sagaTasks ?? {}).length +
        Object.keys(service.userPoolTriggers ?? {}).length +
        Object.keys(service.subscriptions ?? {}).length +
        Object.keys(service.schedules ?? {}).length +
        Object.keys(service.webSocket ?? {}).length +
        ((service.publishes ?? []).length > 0 ? 1 : 0),
      1, // the token authorizer
    );
    expect(functions).toHaveLength(declared);
    for (const [, resource] of functions) {
      expect(resource.Properties).toMatchObject({
        TracingConfig: { Mode: 'Active' },
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        // Lambda's START/END/REPORT lines (INFO system logs) are not ingested.
        LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' },
      });
      // No source maps parsed at every cold start.
      expect(JSON.stringify(resource.Properties?.Environment ?? {})).not.toContain('enable-source-maps');
    }
  });

  it('gives every table PITR, a NEW_AND_OLD_IMAGES stream, encryption and a TTL', () => {
    const tables = resourcesOf('AWS::DynamoDB::GlobalTable');

    expect(tables.map(([, , stack]) => stack).sort()).toEqual(
      [
        ...services
          .filter((service) => service.table)
          .map(
            (service) => `ServerlessSaas-dev-${service.name.charAt(0).toUpperCase()}${service.name.slice(1)}`,
          ),
        // The rate-limit buckets.
        'ServerlessSaas-dev-Platform',
      ].sort(),
    );
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [
          expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      });
    }
  });

  it("lets each service's roles reach only its own table", () => {
    for (const [stackName, template] of templates) {
      const ownTables = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'));
      for (const [, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
        const statements = (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement;
        for (const statement of statements) {
          const actions = [statement.Action].flat();
          if (!actions.some((action) => action.startsWith('dynamodb:'))) continue;
          const resources = JSON.stringify(statement.Resource);
          expect(actions).not.toContain('dynamodb:*');
          expect(resources).not.toContain('Fn::ImportValue');
          expect(resources).not.toBe('"*"');
          const referenced = [...resources.matchAll(/"(\w+Table\w*)"/g)].map((match) => match[1]);
          expect({
            stackName,
            referenced: referenced.filter((id) => !ownTables.includes(id as string)),
          }).toEqual({
            stackName,
            referenced: [],
          });
        }
      }
    }
  });

  it("lets only ChargePayment reach the orders table from outside: GetItem of a PENDING order's payment token, nothing else", () => {
    const foreignStatements = [...templates]
      .filter(([stackName]) => stackName !== 'ServerlessSaas-dev-Orders')
      .flatMap(([stackName, template]) =>
        Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policyId, policy]) =>
          (
            policy.Properties.PolicyDocument as {
              Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[];
            }
          ).Statement.filter((statement) =>
            JSON.stringify(statement.Resource).includes(':table/serverless-saas-dev-orders"'),
          ).map((statement) => ({ stackName, policyId, statement })),
        ),
      );

    expect(foreignStatements).toEqual([
      {
        stackName: 'ServerlessSaas-dev-Billing',
        policyId: expect.stringMatching(/^ServiceChargePaymentFunctionRoleDefaultPolicy/),
        statement: expect.objectContaining({
          Action: 'dynamodb:GetItem',
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['paymentToken'] },
            StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          },
        }),
      },
    ]);
    (templates.get('ServerlessSaas-dev-Billing') as Template).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: orderSaga.taskFunctionName('serverless-saas-dev', 'ChargePayment'),
      Environment: {
        Variables: Match.objectLike({ ORDER_PAYMENT_TOKENS_TABLE_NAME: 'serverless-saas-dev-orders' }),
      },
    });
  });

  it('puts the authorizer on every route but the public ones', () => {
    const publicRoutes = services.flatMap((service) =>
      Object.values(service.routes).filter((route) => route.access === 'public'),
    );
    const methods = resourcesOf('AWS::ApiGateway::Method');

    const open = methods.filter(([, method]) => method.Properties?.AuthorizationType === 'NONE');
    const guarded = methods.filter(([, method]) => method.Properties?.AuthorizationType === 'CUSTOM');

    expect(open).toHaveLength(publicRoutes.length);
    expect(guarded).toHaveLength(methods.length - publicRoutes.length);
    for (const [, method] of guarded) expect(method.Properties?.AuthorizerId).toBeDefined();
  });

  it('serves exactly the routes the services declare (the sandbox serves the same list)', () => {
    const deployed = stacks.flatMap((stack) =>
      stack.node
        .findAll()
        .filter((construct) => construct instanceof CfnMethod)
        .map((method) => {
          // Construct paths mirror the API: <stack>/Api/Default/<path segments>/<METHOD>/Resource.
          const segments = method.node.path.split(/\/(?:Platform)?Api\/Default\//)[1]?.split('/') ?? [];
          return `${segments.at(-2)} /${segments.slice(0, -2).join('/')}`;
        }),
    );
    const declared = services.flatMap((service) =>
      Object.values(service.routes).map((route) => `${route.method} ${route.path}`),
    );

    expect(deployed.sort()).toEqual(declared.sort());
  });

  it('answers gateway errors as problem+json, 401 with WWW-Authenticate and 429 with Retry-After', () => {
    const platform = templates.get('ServerlessSaas-dev-Platform') as Template;

    platform.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.WWW-Authenticate': `'Bearer error="invalid_token"'`,
      }),
    });
    platform.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      StatusCode: '403',
    });
    platform.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
    });
  });

  it('deploys a throttled, traced stage with JSON access logs', () => {
    templates.get('ServerlessSaas-dev-ApiStage')?.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, MetricsEnabled: true }),
      ],
    });
  });

  it("counts every route's requests against the contract's user, tenant and address limits, in a table only they update", () => {
    const { tenant, user, sourceIp, signUp } = contractRateLimits;
    let routeFunctions = 0;
    for (const [stackName, template] of templates) {
      const functions = template.toJSON().Resources as Resources;
      for (const [, method] of Object.entries(template.findResources('AWS::ApiGateway::Method'))) {
        const uri = JSON.stringify(method.Properties.Integration.Uri);
        const functionId = /"Fn::GetAtt":\["(\w+)","Arn"\]/.exec(uri)?.[1] as string;
        const environment = functions[functionId]?.Properties?.Environment ?? { Variables: {} };
        const { Variables: variables } = environment as { Variables: Record<string, string> };
        expect({ stackName, functionId, variables }).toMatchObject({
          variables: {
            RATE_LIMIT_TABLE_NAME: 'serverless-saas-dev-rate-limits',
            RATE_LIMITS: JSON.stringify({ tenant, user, sourceIp, signUp }),
          },
        });
        routeFunctions += 1;
      }
    }
    const bucketGrants = resourcesOf('AWS::IAM::Policy').flatMap(([, policy]) => {
      const document = policy.Properties?.PolicyDocument ?? { Statement: [] };
      const { Statement } = document as { Statement: { Action: unknown; Resource: unknown }[] };
      return Statement.filter((statement) =>
        JSON.stringify(statement.Resource).includes('table/serverless-saas-dev-rate-limits'),
      );
    });

    expect(routeFunctions).toBe(services.flatMap((service) => Object.keys(service.routes)).length);
    expect(bucketGrants).toHaveLength(routeFunctions);
    for (const grant of bucketGrants) expect(grant.Action).toBe('dynamodb:UpdateItem');
    templates.get('ServerlessSaas-dev-Platform')?.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'serverless-saas-dev-rate-limits',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('feeds each outbox publisher from its table stream, filtered, with partial batch failures and a DLQ', () => {
    const mappings = resourcesOf('AWS::Lambda::EventSourceMapping').filter(([id]) =>
      id.startsWith('ServiceOutboxPublisher'),
    );

    expect(mappings).toHaveLength(services.filter((service) => (service.publishes ?? []).length > 0).length);
    for (const [, mapping] of mappings) {
      expect(mapping.Properties).toMatchObject({
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(outboxStreamFilter) }] },
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
    }
  });

  it('parks events that keep failing to publish in a named undelivered-events queue, and alarms on it and on the stream DLQ', () => {
    for (const service of services.filter((entry) => (entry.publishes ?? []).length > 0)) {
      const stack = templates.get(`ServerlessSaas-dev-${pascalCase(service.name)}`) as Template;
      const queueName = `serverless-saas-dev-${service.name}-undelivered-events`;
      stack.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queueName,
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
      const [queueId] = Object.entries(stack.findResources('AWS::SQS::Queue')).find(
        ([, queue]) => queue.Properties?.QueueName === queueName,
      ) ?? [''];
      stack.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ UNDELIVERED_EVENTS_QUEUE_URL: { Ref: queueId } }) },
      });
      const depthAlarms = Object.keys(stack.findResources('AWS::CloudWatch::Alarm')).filter((id) =>
        /Outbox(UndeliveredEvents|StreamFailures)Alarm/.test(id),
      );
      expect([service.name, depthAlarms.length]).toEqual([service.name, 2]);
    }
  });

  it('feeds each declared subscription through a rule, an encrypted queue with a redrive policy, and a batch consumer', () => {
    const subscriptions = services.flatMap((service) =>
      Object.entries(service.subscriptions ?? {}).map(([name, subscription]) => ({
        service,
        name,
        subscription,
      })),
    );
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const { service, name, subscription } of subscriptions) {
      const stack = templates.get(`ServerlessSaas-dev-${pascalCase(service.name)}`) as Template;
      const prefix = `Service${pascalCase(name)}Subscription`;
      const queues = Object.entries(stack.findResources('AWS::SQS::Queue')).filter(([id]) =>
        id.startsWith(prefix),
      );
      const [queueId, queue] = queues.find(([id]) => id.startsWith(`${prefix}Queue`)) ?? [];
      const [deadLetterId] = queues.find(([id]) => id.startsWith(`${prefix}DeadLetters`)) ?? [];

      expect(queue?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 60,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
          maxReceiveCount: subscription.maxReceiveCount ?? subscriptionDefaults.maxReceiveCount,
        },
      });
      stack.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: subscription.eventPattern,
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] } },
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
          }),
        ],
      });
      stack.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      stack.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: subscription.batchSize ?? subscriptionDefaults.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const consumerPolicy = JSON.stringify(
        Object.entries(stack.findResources('AWS::IAM::Policy')).find(([id]) =>
          id.startsWith(`Service${pascalCase(name)}Consumer`),
        ),
      );
      expect(consumerPolicy).toContain('sqs:ReceiveMessage');
      expect(consumerPolicy.match(/"Fn::GetAtt":\["[A-Za-z0-9]+Queue[A-Za-z0-9]*","Arn"\]/g)).toEqual([
        `"Fn::GetAtt":["${queueId}","Arn"]`,
      ]);
    }
  });

  it('guards each declared WebSocket API with the REST verifier on $connect, and lets only the pusher post to it', () => {
    for (const service of services.filter((candidate) => candidate.webSocket)) {
      const stack = templates.get(`ServerlessSaas-dev-${pascalCase(service.name)}`) as Template;
      const platform = templates.get('ServerlessSaas-dev-Platform') as Template;
      const restAuthorizerEnvironment = Object.values(platform.findResources('AWS::Lambda::Function')).find(
        (fn) => fn.Properties.Environment?.Variables?.AUTH_PROFILE,
      )?.Properties.Environment.Variables as Record<string, unknown>;

      stack.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        IdentitySource: ['route.request.querystring.token'],
      });
      stack.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: '$connect',
        AuthorizationType: 'CUSTOM',
      });
      const [authorizerFunction] = Object.entries(stack.findResources('AWS::Lambda::Function')).filter(
        ([id]) => id.startsWith('ServiceWebSocketAuthorizer'),
      );
      const variables = authorizerFunction?.[1].Properties.Environment.Variables as Record<string, unknown>;
      // The same verifier: the REST authorizer's profile, and the platform's issuer and client, read
      // from the platform's SSM parameters (no export).
      expect(variables.AUTH_PROFILE).toBe(restAuthorizerEnvironment.AUTH_PROFILE);
      expect(JSON.stringify(variables.AUTH_ISSUER)).toMatch(
        /cognito-idp.*SsmParameterValueserverlesssaasdevplatformuserpoolid/,
      );
      expect(JSON.stringify(variables.AUTH_AUDIENCE)).toMatch(
        /SsmParameterValueserverlesssaasdevplatformuserpoolclientid/,
      );
      const manageConnections = Object.entries(stack.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
        JSON.stringify(policy).includes('execute-api:ManageConnections'),
      );
      expect(manageConnections.map(([id]) => id)).toEqual([
        expect.stringMatching(/^ServiceOrderChangesConsumer/),
      ]);
      // Post to a connection, and end one whose token has expired; nothing else of the API.
      expect(JSON.stringify(manageConnections[0]?.[1])).toContain('/dev/POST/@connections/*');
      expect(JSON.stringify(manageConnections[0]?.[1])).toContain('/dev/DELETE/@connections/*');
      expect(Object.keys(stack.toJSON().Outputs ?? {})).toContain('WebSocketUrl');
    }
  });

  it('starts the saga from an OrderPlaced rule with retries and a dead-letter queue', () => {
    const saga = templates.get('ServerlessSaas-dev-Saga') as Template;

    saga.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: orderSaga.trigger.source, 'detail-type': orderSaga.trigger['detail-type'] },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
  });

  it('deploys the saga as a named Express workflow that logs errors without execution data under /aws/vendedlogs/states/', () => {
    const saga = templates.get('ServerlessSaas-dev-Saga') as Template;

    saga.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'serverless-saas-dev-order-saga',
      StateMachineType: 'EXPRESS',
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
    });
    saga.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/serverless-saas-dev-order-saga',
    });
  });

  it('names every alarm of the stage and what fires it, each notifying the alarm topic on ALARM and OK', () => {
    type AlarmProperties = {
      AlarmDescription?: string;
      Namespace?: string;
      MetricName?: string;
      Metrics?: { Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string } } }[];
      Threshold: number;
      AlarmActions: unknown[];
      OKActions: unknown[];
    };
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').map(([logicalId, resource, stackName]) => {
      const properties = resource.Properties as AlarmProperties;
      const watched = properties.MetricName
        ? `${properties.Namespace} ${properties.MetricName}`
        : [
            ...new Set(
              (properties.Metrics ?? []).flatMap((metric) =>
                metric.MetricStat
                  ? [`${metric.MetricStat.Metric.Namespace} ${metric.MetricStat.Metric.MetricName}`]
                  : [],
              ),
            ),
          ].join(' / ');
      const name = logicalId.replace(/[0-9A-F]{8}$/, '');
      return { alarm: `${stackName.replace('ServerlessSaas-dev-', '')} ${name}`, watched, properties };
    });

    const fires = (alarm: string) =>
      alarms.filter((candidate) => candidate.alarm.startsWith(alarm)).map((candidate) => candidate.watched);
    const serviceStacks = [
      'Platform',
      'Identity',
      'Catalog',
      'Orders',
      'Billing',
      'Notifications',
      'Reporting',
    ];
    for (const stack of serviceStacks) {
      expect([stack, fires(`${stack} FunctionErrorsAlarm`)[0]]).toEqual([stack, 'AWS/Lambda Errors']);
      expect([stack, fires(`${stack} FunctionThrottlesAlarm`)[0]]).toEqual([stack, 'AWS/Lambda Throttles']);
    }
    for (const stack of ['Identity', 'Catalog', 'Orders', 'Billing']) {
      expect(fires(`${stack} ServiceOutboxUndeliveredEventsAlarm`)).toEqual([
        'AWS/SQS ApproximateNumberOfMessagesVisible',
      ]);
      expect(fires(`${stack} ServiceOutboxStreamFailuresAlarm`)).toEqual([
        'AWS/SQS ApproximateNumberOfMessagesVisible',
      ]);
      expect(fires(`${stack} ServiceOutboxIteratorAgeAlarm`)).toEqual(['AWS/Lambda IteratorAge']);
    }
    for (const deadLetters of [
      'Notifications ServiceOrderChangesSubscriptionDeadLettersAlarm',
      'Reporting ServiceProjectOrdersSubscriptionDeadLettersAlarm',
    ]) {
      expect(fires(deadLetters)).toEqual(['AWS/SQS ApproximateNumberOfMessagesVisible']);
    }
    expect(fires('Orders ServiceOrdersPastDeadlineAlarm')).toEqual(['ServerlessSaas OrdersSwept']);
    expect(fires('Saga ExecutionsFailedAlarm')).toEqual(['AWS/States ExecutionsFailed']);
    expect(fires('Saga ExecutionsTimedOutAlarm')).toEqual(['AWS/States ExecutionsTimedOut']);
    expect(fires('Saga StartFailuresAlarm')).toEqual(['AWS/SQS ApproximateNumberOfMessagesVisible']);
    expect(fires('ApiStage ServerErrorRateAlarm')).toEqual([
      'AWS/ApiGateway Count / AWS/ApiGateway 5XXError',
    ]);
    expect(fires('ApiStage LatencyP99Alarm')).toEqual(['AWS/ApiGateway Latency']);

    // Nothing unnamed: every alarm is one of the above.
    const named = alarms.filter(({ alarm }) =>
      /FunctionErrorsAlarm|FunctionThrottlesAlarm|OutboxUndeliveredEventsAlarm|OutboxStreamFailuresAlarm|OutboxIteratorAgeAlarm|SubscriptionDeadLettersAlarm|OrdersPastDeadlineAlarm|ExecutionsFailedAlarm|ExecutionsTimedOutAlarm|StartFailuresAlarm|ServerErrorRateAlarm|LatencyP99Alarm/.test(
        alarm,
      ),
    );
    expect(named.map(({ alarm }) => alarm)).toEqual(alarms.map(({ alarm }) => alarm));
    for (const { alarm, properties } of alarms) {
      expect([alarm, properties.AlarmDescription]).toEqual([alarm, expect.stringMatching(/^.{20,}$/)]);
      expect([alarm, JSON.stringify(properties.AlarmActions)]).toEqual([
        alarm,
        expect.stringContaining(':serverless-saas-dev-alarms'),
      ]);
      expect([alarm, JSON.stringify(properties.OKActions)]).toEqual([
        alarm,
        expect.stringContaining(':serverless-saas-dev-alarms'),
      ]);
    }
    templates.get('ServerlessSaas-dev-Platform')?.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'serverless-saas-dev-alarms',
    });
  });

  it('draws one dashboard for the stage from SEARCH expressions and fixed names, importing nothing', () => {
    const dashboards = resourcesOf('AWS::CloudWatch::Dashboard');

    expect(dashboards.map(([, , stack]) => stack)).toEqual(['ServerlessSaas-dev-ApiStage']);
    const body = JSON.stringify(dashboards[0]?.[1].Properties?.DashboardBody);
    for (const title of [
      'API requests and errors',
      'API latency (ms)',
      'Orders',
      'Orders cancelled by reason',
      'Saga executions by outcome',
      'Queue depths',
      'Outbox stream iterator age (ms)',
      'Lambda errors',
      'Lambda throttles',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).not.toContain('Fn::ImportValue');
  });

  it('runs the sweeper every minute, allowed to start only the saga, by its fixed name', () => {
    const orders = templates.get('ServerlessSaas-dev-Orders') as Template;

    orders.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    const statements = Object.values(orders.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
          .Statement,
    );
    const starts = statements.filter((statement) => JSON.stringify(statement.Action).includes('states:'));
    expect(starts).toHaveLength(1);
    expect(starts[0]?.Action).toBe('states:StartExecution');
    expect(JSON.stringify(starts[0]?.Resource)).toContain(':stateMachine:serverless-saas-dev-order-saga');
  });

  it('gives each saga task function the timeout its service declares, below its Task state timeout', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    const definition = JSON.parse(
      readFileSync(join(__dirname, '..', '..', orderSaga.definitionFile), 'utf8'),
    ) as {
      States: Record<string, { TimeoutSeconds?: number }>;
    };
    for (const service of services) {
      for (const [state, task] of Object.entries(service.sagaTasks ?? {})) {
        const built = functions.find(([logicalId]) => logicalId.startsWith(`Service${state}Function`));
        const timeout = built?.[1].Properties?.Timeout as number;
        expect([state, timeout]).toEqual([state, task.timeoutSeconds ?? sagaTaskDefaults.timeoutSeconds]);
        expect(definition.States[state]?.TimeoutSeconds).toBeGreaterThan(timeout);
      }
    }
  });

  it('deploys every declared function with the memory, timeout and environment its service declares', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    const declared = services.flatMap((service) => [
      ...Object.entries(service.routes).map(
        ([name, route]) => [`${pascalCase(name)}Function`, route, functionDefaults.timeoutSeconds] as const,
      ),
      ...Object.entries(service.sagaTasks ?? {}).map(
        ([state, task]) => [`${state}Function`, task, sagaTaskDefaults.timeoutSeconds] as const,
      ),
      ...Object.entries(service.subscriptions ?? {}).map(
        ([name, subscription]) =>
          [`${pascalCase(name)}ConsumerFunction`, subscription, functionDefaults.timeoutSeconds] as const,
      ),
      ...Object.entries(service.schedules ?? {}).map(
        ([name, schedule]) =>
          [`${pascalCase(name)}Function`, schedule, functionDefaults.timeoutSeconds] as const,
      ),
    ]);
    // Every kind of declared function is covered.
    expect(declared.some(([prefix]) => prefix.endsWith('ConsumerFunction'))).toBe(true);
    expect(declared.length).toBeGreaterThan(
      services.flatMap((service) => Object.keys(service.routes)).length,
    );
    const withSettings = declared.filter(([, settings]) => settings.memoryMB || settings.environment);
    expect(withSettings.length).toBeGreaterThan(0);
    for (const [logicalPrefix, settings, defaultTimeout] of declared) {
      // A service's functions sit in its Microservice `Service`, the platform's in `Platform`.
      const ownId = new RegExp(`^(Service|Platform)${logicalPrefix}[0-9A-F]{8}$`);
      const matching = functions.filter(([logicalId]) => ownId.test(logicalId));
      expect([logicalPrefix, matching.length]).toEqual([logicalPrefix, 1]);
      const properties = matching[0]?.[1].Properties as {
        MemorySize: number;
        Timeout: number;
        Environment: { Variables: Record<string, unknown> };
      };
      expect({ logicalPrefix, memory: properties.MemorySize, timeout: properties.Timeout }).toEqual({
        logicalPrefix,
        memory: settings.memoryMB ?? functionDefaults.memoryMB,
        timeout: settings.timeoutSeconds ?? defaultTimeout,
      });
      expect(properties.Environment.Variables).toMatchObject(settings.environment ?? {});
    }
  });

  it("points only the functions that use the payment provider at the dev stage's test gateway", () => {
    const gatewayOf = (resource: Resources[string]) =>
      (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
        ?.PAYMENT_GATEWAY;
    const providerUsers = resourcesOf('AWS::Lambda::Function')
      .filter(([, resource]) => gatewayOf(resource) !== undefined)
      .map(([logicalId, resource]) => [logicalId.replace(/[0-9A-F]{8}$/, ''), gatewayOf(resource)]);

    expect(providerUsers.sort()).toEqual([
      ['ServiceChargePaymentFunction', 'test'],
      ['ServiceRefundPaymentFunction', 'test'],
    ]);
  });

  it('fills every ASL placeholder and logs and traces the state machine', () => {
    const [[, machine]] = resourcesOf('AWS::StepFunctions::StateMachine') as [
      [string, Resources[string], string],
    ];
    const definition = readFileSync(join(__dirname, '..', '..', orderSaga.definitionFile), 'utf8');
    const placeholders = [...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);

    expect(Object.keys(machine.Properties?.DefinitionSubstitutions as object).sort()).toEqual(
      [...new Set(placeholders)].sort(),
    );
    expect(machine.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: expect.objectContaining({ Level: 'ERROR' }),
    });
  });

  it('lets the state machine invoke exactly the task functions, unqualified', () => {
    const saga = templates.get('ServerlessSaas-dev-Saga') as Template;
    const statements = Object.values(saga.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
          .Statement,
    );
    const invoke = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('lambda:InvokeFunction'),
    );
    const taskCount = services.reduce(
      (count, service) => count + Object.keys(service.sagaTasks ?? {}).length,
      0,
    );

    expect(invoke).toHaveLength(1);
    const resources = invoke[0]?.Resource as unknown[];
    expect(resources).toHaveLength(taskCount);
    for (const resource of resources) {
      expect(JSON.stringify(resource)).toMatch(/:function:serverless-saas-dev-[A-Za-z]+"/);
    }
  });

  it('names the task functions it runs instead of importing them, so a task can be renamed later', () => {
    const saga = templates.get('ServerlessSaas-dev-Saga') as Template;
    const serviceTemplates = [...templates].filter(([name]) => !/Platform|Saga|ApiStage/.test(name));

    expect(JSON.stringify(saga.toJSON())).not.toMatch(/ImportValue[^}]*(Identity|Catalog|Orders|Billing)/);
    for (const [name, template] of serviceTemplates) {
      const outputs = Object.entries(
        (template.toJSON().Outputs ?? {}) as Record<string, { Export?: unknown }>,
      );
      expect([name, outputs.filter(([, output]) => output.Export).map(([id]) => id)]).toEqual([name, []]);
    }
    for (const service of services) {
      for (const task of Object.keys(service.sagaTasks ?? {})) {
        (templates.get(`ServerlessSaas-dev-${pascalCase(service.name)}`) as Template).hasResourceProperties(
          'AWS::Lambda::Function',
          { FunctionName: `serverless-saas-dev-${task}` },
        );
      }
    }
  });

  it('deploys the API stage only after the saga, so no order is accepted before it can be settled', () => {
    const apiStage = stacks.find((stack) => stack.stackName.endsWith('-ApiStage')) as Stack;

    expect(apiStage.dependencies.map((stack) => stack.stackName)).toContain('ServerlessSaas-dev-Saga');
  });

  it('exports nothing and imports nothing across stacks: every reference is a fixed name or an SSM parameter', () => {
    for (const [stackName, template] of templates) {
      const json = template.toJSON() as { Outputs?: Record<string, { Export?: unknown }> };
      const exported = Object.entries(json.Outputs ?? {}).filter(([, output]) => output.Export !== undefined);

      expect([stackName, exported.map(([name]) => name)]).toEqual([stackName, []]);
      expect([stackName, JSON.stringify(json).includes('Fn::ImportValue')]).toEqual([stackName, false]);
    }
    templates.get('ServerlessSaas-dev-Platform')?.resourceCountIs('AWS::SSM::Parameter', 5);
    // Without imports CloudFormation cannot infer the order: every stack deploys after the platform.
    for (const stack of stacks.filter((candidate) => !candidate.stackName.endsWith('-Platform'))) {
      const after = new Set<string>();
      const visit = (current: Stack) => {
        for (const dependency of current.dependencies) {
          after.add(dependency.stackName);
          visit(dependency);
        }
      };
      visit(stack);
      expect([stack.stackName, after.has('ServerlessSaas-dev-Platform')]).toEqual([stack.stackName, true]);
    }
  });

  it('prints the API URL and tags every taggable resource with project and stage for cost allocation', () => {
    templates.get('ServerlessSaas-dev-ApiStage')?.hasOutput('ApiUrl', {
      Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    for (const [type, tagged] of [
      ['AWS::Lambda::Function', resourcesOf('AWS::Lambda::Function')],
      ['AWS::SQS::Queue', resourcesOf('AWS::SQS::Queue')],
      ['AWS::StepFunctions::StateMachine', resourcesOf('AWS::StepFunctions::StateMachine')],
    ] as const) {
      expect(tagged.length).toBeGreaterThan(0);
      for (const [logicalId, resource] of tagged) {
        const tags = JSON.stringify(resource.Properties?.Tags ?? resource.Properties?.TagsList ?? []);
        expect([type, logicalId, tags.includes('"project"') && tags.includes('"stage"')]).toEqual([
          type,
          logicalId,
          true,
        ]);
      }
    }
  });
});

describe('the API deployment', () => {
  type Built = ReturnType<typeof buildServerlessSaas>;
  const environment = { account: '123456789012', region: 'eu-west-1' };

  /** The deployment's logical id after `change` edits the synthesized API definition. */
  function deploymentId(change?: (built: Built) => void): string {
    const built = buildServerlessSaas(appWithoutBundling('cdk-deployment-'), stages.dev, environment);
    change?.(built);
    const ids = Object.keys(Template.fromStack(built.apiStage).findResources('AWS::ApiGateway::Deployment'));
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  }

  const first = (stack: Stack, type: string): CfnResource => {
    const found = stack.node
      .findAll()
      .find((construct) => construct instanceof CfnResource && construct.cfnResourceType === type);
    if (!found) throw new Error(`no ${type} in ${stack.stackName}`);
    return found as CfnResource;
  };
  const catalog = (built: Built) =>
    built.serviceStacks.find((stack) => stack.stackName.endsWith('-Catalog')) as Stack;

  it('keeps the execution logs API Gateway writes for the stage, with a retention', () => {
    const apiStage = templates.get('ServerlessSaas-dev-ApiStage') as Template;

    apiStage.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith(['API-Gateway-Execution-Logs_', '/dev'])],
      }),
      RetentionInDays: 7,
    });
  });

  it('is the same deployment when nothing served changes', () => {
    expect(deploymentId()).toBe(deploymentId());
  });

  it.each<[string, (built: Built) => void]>([
    [
      "a route's access (a protected method opened)",
      (built) =>
        first(catalog(built), 'AWS::ApiGateway::Method').addPropertyOverride('AuthorizationType', 'NONE'),
    ],
    [
      "a route's integration",
      (built) =>
        first(catalog(built), 'AWS::ApiGateway::Method').addPropertyOverride(
          'Integration.TimeoutInMillis',
          1000,
        ),
    ],
    [
      'the authorizer',
      (built) =>
        first(built.platform, 'AWS::ApiGateway::Authorizer').addPropertyOverride(
          'AuthorizerResultTtlInSeconds',
          0,
        ),
    ],
    [
      'a gateway response',
      (built) =>
        first(built.platform, 'AWS::ApiGateway::GatewayResponse').addPropertyOverride('StatusCode', '418'),
    ],
  ])('makes a new deployment when %s changes', (_, change) => {
    expect(deploymentId(change)).not.toBe(deploymentId());
  });
});

describe('the prod stage', () => {
  it('protects data: deletion protection and retained tables', () => {
    const app = appWithoutBundling('cdk-prod-');
    const built = buildServerlessSaas(app, stages.prod, { account: '123456789012', region: 'eu-west-1' });
    app.synth();

    for (const stack of built.serviceStacks) {
      Template.fromStack(stack).hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
      });
    }
    Template.fromStack(built.platform).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('charges through Stripe: the provider functions name the secret, may read that secret only, and no other function can', () => {
    const app = appWithoutBundling('cdk-prod-payments-');
    const built = buildServerlessSaas(app, stages.prod, { account: '123456789012', region: 'eu-west-1' });
    app.synth();
    const billing = Template.fromStack(
      built.serviceStacks.find((stack) => stack.stackName.endsWith('-Billing')) as Stack,
    );

    for (const task of ['ChargePayment', 'RefundPayment']) {
      billing.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: orderSaga.taskFunctionName('serverless-saas-prod', task),
        Environment: {
          Variables: Match.objectLike({
            PAYMENT_GATEWAY: 'stripe',
            PAYMENT_PROVIDER_SECRET_ID: 'serverless-saas/prod/stripe-secret-key',
          }),
        },
      });
    }
    const secretStatements = [built.platform, ...built.serviceStacks, built.saga, built.apiStage].flatMap(
      (stack) =>
        Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
          ([policyId, policy]) =>
            (
              policy.Properties.PolicyDocument as {
                Statement: { Action: string | string[]; Resource: unknown }[];
              }
            ).Statement.filter((statement) =>
              [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
            ).map((statement) => ({ policyId: policyId.replace(/RoleDefaultPolicy\w+$/, ''), statement })),
        ),
    );
    expect(secretStatements.map(({ policyId }) => policyId).sort()).toEqual([
      'ServiceChargePaymentFunction',
      'ServiceRefundPaymentFunction',
    ]);
    for (const { statement } of secretStatements) {
      expect([statement.Action].flat().sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      expect(JSON.stringify(statement.Resource)).toContain(
        ':secret:serverless-saas/prod/stripe-secret-key-??????',
      );
    }
    // The key itself is nowhere in a template.
    expect(JSON.stringify(billing.toJSON())).not.toMatch(/sk_(live|test)_/);
  });

  it('refuses to synthesize with the test payment gateway', () => {
    const config = stageConfig((key) => ({ stage: 'prod', paymentGateway: 'test' })[key]);

    expect(() => buildServerlessSaas(appWithoutBundling('cdk-prod-test-gateway-'), config)).toThrow(
      'Stage prod does not allow the test payment gateway',
    );
  });

  describe('with browser origins (-c corsOrigins)', () => {
    const origins = ['https://app.example.com', 'https://admin.example.com'];
    let built: ReturnType<typeof buildServerlessSaas>;
    const templateOf = (stack: Stack) => Template.fromStack(stack);
    /** The few properties these checks read, of resources found by type. */
    type Found = { Properties: Record<string, unknown> };
    const property = (resource: unknown, ...path: (string | number)[]): unknown =>
      path.reduce<unknown>(
        (value, key) => (value as Record<string | number, unknown> | undefined)?.[key],
        (resource as Found).Properties,
      );

    const preflightTemplate = (preflight: unknown) =>
      property(preflight, 'Integration', 'IntegrationResponses', 0, 'ResponseTemplates', 'application/json');

    beforeAll(() => {
      const app = appWithoutBundling('cdk-cors-');
      built = buildServerlessSaas(app, { ...stages.dev, corsOrigins: origins });
      app.synth();
    });

    it('answers a preflight on every declared path with its methods, without an authorizer', () => {
      const preflights = [built.platform, ...built.serviceStacks].flatMap((stack) =>
        Object.values(
          templateOf(stack).findResources('AWS::ApiGateway::Method', {
            Properties: { HttpMethod: 'OPTIONS' },
          }),
        ),
      );
      const paths = new Set(
        services.flatMap((service) => Object.values(service.routes).map((route) => route.path)),
      );

      expect(preflights).toHaveLength(paths.size);
      for (const preflight of preflights) {
        expect(property(preflight, 'AuthorizationType')).toBe('NONE');
        expect(property(preflight, 'Integration', 'IntegrationResponses', 0, 'StatusCode')).toBe('204');
        // Nothing static: only an origin of the list gets CORS headers, set by the template.
        expect(
          property(preflight, 'Integration', 'IntegrationResponses', 0, 'ResponseParameters'),
        ).toBeUndefined();
        const template = String(preflightTemplate(preflight));
        expect(template).toContain(`#if($origin == "${origins[0]}" || $origin == "${origins[1]}")`);
        expect(template).toContain(
          '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
        );
        expect(template).toContain(
          'Access-Control-Allow-Headers = "authorization, content-type, idempotency-key, if-match, x-correlation-id"',
        );
      }
      const templates = preflights.map((preflight) => String(preflightTemplate(preflight)));
      const methodsOfPath = new Map<string, string[]>();
      for (const route of services.flatMap((service) => Object.values(service.routes))) {
        methodsOfPath.set(route.path, [...(methodsOfPath.get(route.path) ?? []), route.method]);
      }
      const allowedMethods = templates.map((template) => /Allow-Methods = "([^"]+)"/.exec(template)?.[1]);
      expect(allowedMethods.sort()).toEqual(
        [...methodsOfPath.values()].map((methods) => [...methods, 'OPTIONS'].join(', ')).sort(),
      );
    });

    it('tells every route function the origins, and no other function', () => {
      const routeFunctions = [built.platform, ...built.serviceStacks].flatMap((stack) =>
        Object.values(templateOf(stack).findResources('AWS::Lambda::Function')),
      );
      const withOrigins = routeFunctions.filter(
        (fn) => property(fn, 'Environment', 'Variables', 'CORS_ORIGINS') === origins.join(','),
      );
      const routes = services.flatMap((service) => Object.values(service.routes));

      expect(withOrigins).toHaveLength(routes.length);
    });

    it("puts the CORS headers on the gateway's own answers", () => {
      const responses = Object.values(
        templateOf(built.platform).findResources('AWS::ApiGateway::GatewayResponse'),
      );

      expect(responses.map((response) => String(property(response, 'ResponseType'))).sort()).toEqual([
        'ACCESS_DENIED',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'MISSING_AUTHENTICATION_TOKEN',
        'RESOURCE_NOT_FOUND',
        'THROTTLED',
        'UNAUTHORIZED',
      ]);
      for (const response of responses) {
        const header = (name: string) =>
          property(response, 'ResponseParameters', `gatewayresponse.header.${name}`);
        expect(header('Access-Control-Allow-Origin')).toBe('method.request.header.Origin');
        expect(header('Vary')).toBe("'Origin'");
      }
    });
  });

  it('refuses a CORS origin that is not exact, such as a pattern or a path', () => {
    for (const corsOrigins of ['https://*.example.com', 'https://app.example.com/', '*']) {
      expect(() => stageConfig((key) => ({ stage: 'dev', corsOrigins })[key])).toThrow('is not an origin');
    }
    expect(
      stageConfig(
        (key) => ({ stage: 'dev', corsOrigins: 'https://a.example.com, http://localhost:5173' })[key],
      ).corsOrigins,
    ).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(stageConfig((key) => ({ stage: 'dev' })[key]).corsOrigins).toEqual([]);
  });

  it("takes the stage's sign-ups an hour from the context, and refuses a number that is not one", () => {
    const config = stageConfig((key) => ({ stage: 'prod', signUpsPerHour: '40' })[key]);

    expect(config.rateLimits.signUp).toEqual({ requests: 40, perSeconds: 3600, burst: 40 });
    expect(config.rateLimits.sourceIp).toEqual(contractRateLimits.sourceIp);
    expect(stageConfig((key) => ({ stage: 'dev' })[key]).rateLimits.signUp).toEqual({
      requests: 100,
      perSeconds: 3600,
      burst: 100,
    });
    expect(() => stageConfig((key) => ({ stage: 'dev', signUpsPerHour: '0' })[key])).toThrow(
      '-c signUpsPerHour must be a positive integer',
    );
  });

  it('takes another Stripe secret from the context, and refuses Stripe without one', () => {
    expect(
      stageConfig((key) => ({ stage: 'dev', paymentGateway: 'stripe', stripeSecretName: 'team/stripe' })[key])
        .payments,
    ).toEqual({
      gateway: 'stripe',
      secretName: 'team/stripe',
    });
    expect(() => stageConfig((key) => ({ stage: 'dev', paymentGateway: 'stripe' })[key])).toThrow(
      'needs -c stripeSecretName',
    );
    expect(() => stageConfig((key) => ({ stage: 'dev', paymentGateway: 'paypal' })[key])).toThrow(
      'Unknown -c paymentGateway=paypal',
    );
    expect(() => stageConfig((key) => ({ stage: 'dev', stripeSecretName: 'team/stripe' })[key])).toThrow(
      '-c stripeSecretName needs -c paymentGateway=stripe',
    );
  });
});

describe('exactly the table permissions each function uses', () => {
  type Declared = { handler: string; tableActions?: readonly TableAction[] };
  /** Each declared function with its construct id, and whether it may only read. */
  const declaredFunctions = services.flatMap((service) => {
    const entries: [string, Declared, boolean][] = [
      ...Object.entries(service.routes).map(
        ([name, route]) =>
          [`${pascalCase(name)}Function`, route, route.method === 'GET' || route.path === '/graphql'] as [
            string,
            Declared,
            boolean,
          ],
      ),
      ...Object.entries(service.sagaTasks ?? {}).map(
        ([state, task]) => [`${state}Function`, task, false] as [string, Declared, boolean],
      ),
      ...Object.entries(service.subscriptions ?? {}).map(
        ([name, subscription]) =>
          [`${pascalCase(name)}Consumer`, subscription, false] as [string, Declared, boolean],
      ),
      ...Object.entries(service.schedules ?? {}).map(
        ([name, schedule]) => [`${pascalCase(name)}Function`, schedule, false] as [string, Declared, boolean],
      ),
      ...(service.webSocket
        ? ([
            ['WebSocketAuthorizer', service.webSocket.authorizer, true],
            ['WebSocketConnect', service.webSocket.connect, false],
            ['WebSocketDisconnect', service.webSocket.disconnect, false],
          ] as [string, Declared, boolean][])
        : []),
    ];
    const stackName =
      service.name === 'platform'
        ? 'ServerlessSaas-dev-Platform'
        : `ServerlessSaas-dev-${pascalCase(service.name)}`;
    // The platform's constructs are named under `Platform`, every service's under `Service`.
    const prefix = service.name === 'platform' ? 'Platform' : 'Service';
    return entries.map(([id, declared, readOnly]) => ({
      service: service.name,
      stackName,
      id: `${prefix}${id}`,
      declared,
      readOnly,
    }));
  });

  /** The DynamoDB actions a function's role holds on its own service's table (by the table's logical id). */
  function tableActionsOf(stackName: string, id: string): string[] {
    const template = templates.get(stackName) as Template;
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([logicalId]) =>
      logicalId.startsWith(`${id}Role`),
    );
    const statements = policies.flatMap(
      ([, policy]) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) ??
        [],
    );
    return statements
      .filter((statement) => JSON.stringify(statement.Resource).includes('ServiceTable'))
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => action.startsWith('dynamodb:'))
      .sort();
  }

  /** What the deployed bundle may call: the DynamoDB commands whose classes it contains. */
  function callableActions(stackName: string, id: string): Set<TableAction> {
    const template = templates.get(stackName) as Template;
    const [, lambda] =
      Object.entries(template.findResources('AWS::Lambda::Function')).find(([logicalId]) =>
        logicalId.startsWith(id),
      ) ?? [];
    // The code's S3 key is the asset's hash, which names its folder in the cloud assembly.
    const key = String((lambda?.Properties?.Code as { S3Key?: string } | undefined)?.S3Key);
    const bundle = readFileSync(join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
    const has = (command: string) => bundle.includes(`"${command}"`);
    const callable = new Set<TableAction>();
    if (has('GetCommand') || has('GetItemCommand')) callable.add('GetItem');
    if (has('BatchGetCommand') || has('BatchGetItemCommand')) callable.add('BatchGetItem');
    if (has('QueryCommand')) callable.add('Query');
    if (has('PutCommand') || has('PutItemCommand')) callable.add('PutItem');
    if (has('UpdateCommand') || has('UpdateItemCommand')) callable.add('UpdateItem');
    if (has('DeleteCommand') || has('DeleteItemCommand')) callable.add('DeleteItem');
    if (has('TransactWriteCommand') || has('TransactWriteItemsCommand')) {
      for (const action of ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] as const)
        callable.add(action);
    }
    return callable;
  }

  it.each(declaredFunctions.map((fn) => [`${fn.service} ${fn.id}`, fn] as const))(
    '%s holds exactly its declared table actions, each one its bundle may call',
    (_, fn) => {
      const declared = [...(fn.declared.tableActions ?? [])];

      expect(tableActionsOf(fn.stackName, fn.id)).toEqual(
        declared.map((action) => `dynamodb:${action}`).sort(),
      );
      const callable = callableActions(fn.stackName, fn.id);
      expect(declared.filter((action) => !callable.has(action))).toEqual([]);
      if (fn.readOnly) expect(declared.filter((action) => !readTableActions.includes(action))).toEqual([]);
    },
  );

  it('gives no role of any stack dynamodb:Scan, nor a wildcard DynamoDB action', () => {
    const actions = [...templates.values()].flatMap((template) =>
      Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((statement) =>
          [statement.Action].flat(),
        ),
      ),
    );

    expect(actions.filter((action) => action === 'dynamodb:Scan' || action === 'dynamodb:*')).toEqual([]);
  });

  it('gives the REST authorizer no table at all', () => {
    const platform = templates.get('ServerlessSaas-dev-Platform') as Template;
    const authorizerPolicies = Object.entries(platform.findResources('AWS::IAM::Policy')).filter(
      ([logicalId]) => logicalId.startsWith('AuthorizerFunctionRole'),
    );

    expect(JSON.stringify(authorizerPolicies)).not.toContain('dynamodb:');
  });
});
