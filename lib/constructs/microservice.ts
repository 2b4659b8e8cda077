import { Duration, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type IAuthorizer,
  type IRestApi,
  LambdaIntegration,
  MockIntegration,
} from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { corsOriginsVariable, corsPreflightHeaders } from '../../functions/shared/cors.js';
import { orderPaymentToken } from '../../functions/shared/order-payment-token.js';
import {
  type FunctionSettings,
  functionDefaults,
  type ServiceDefinition,
  sagaTaskDefaults,
  webSocketManagementVariable,
} from '../../functions/shared/service-definition.js';
import { orderSaga } from '../../statemachines/order-saga.js';
import type { PaymentsConfig } from '../config/stages.js';
import { EventSubscription } from './event-subscription.js';
import { OutboxPublisher } from './outbox-publisher.js';
import {
  metricsNamespace,
  type RateLimitBinding,
  ServiceFunction,
  type ServiceFunctionProps,
  type UserDirectoryBinding,
} from './service-function.js';
import { ServiceTable, serviceTableName } from './service-table.js';
import { ServiceWebSocket } from './service-websocket.js';

export interface MicroserviceProps {
  service: ServiceDefinition;
  api: IRestApi;
  authorizer: IAuthorizer;
  bus: IEventBus;
  logRetention: RetentionDays;
  protectData: boolean;
  /** Physical table name: `<namePrefix>-<service>`, so a user-pool trigger can be granted it by name. */
  namePrefix: string;
  /** Every function learns its stage as `STAGE` (GraphQL introspection is off in prod). */
  stage: string;
  /** The REST authorizer's verifier settings, for a WebSocket API's `$connect` authorizer. */
  authEnvironment: () => Record<string, string>;
  /** For routes that declare `uses: ['userDirectory']`. */
  userDirectory?: () => UserDirectoryBinding;
  /** Every route's function counts its requests against these. */
  rateLimits: RateLimitBinding;
  /** Browser origins the routes answer (CORS): preflights on every path, headers on every answer. */
  corsOrigins: readonly string[];
  /** For functions that declare `uses: ['paymentProvider']`. */
  payments?: PaymentsConfig;
}

/** A function as a service declares it: its handler file and its own settings. */
type DeclaredFunction = FunctionSettings & { handler: string };

/** `get-product` / `getProduct` -> `GetProduct`: construct ids from declared names. */
export const pascalCase = (text: string): string =>
  text.replace(/(^|[-_/{}.])(\w)/g, (_, __, letter: string) => letter.toUpperCase()).replace(/\W/g, '');

/**
 * Everything one service declares, built: its table, a function per route (bound to its own table
 * with the actions it declares) with its API method, a function per saga task, and the
 * outbox publisher on its table's stream. No business logic here.
 */
export class Microservice extends Construct {
  public readonly table?: ServiceTable;
  public readonly routeFunctions = new Map<string, ServiceFunction>();
  /** Saga task functions by ASL state name. */
  public readonly taskFunctions = new Map<string, IFunction>();
  public readonly outbox?: OutboxPublisher;

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const { service, logRetention, protectData } = props;
    const table = service.table
      ? new ServiceTable(this, 'Table', {
          definition: service.table,
          tableName: serviceTableName(props.namePrefix, service.name),
          protectData,
        })
      : undefined;
    this.table = table;
    /** A declared function's own settings, over the defaults (saga tasks default to a shorter timeout). */
    const functionProps = (
      declared: DeclaredFunction,
      defaultTimeoutSeconds: number = functionDefaults.timeoutSeconds,
    ): ServiceFunctionProps => ({
      serviceName: service.name,
      handlerFile: declared.handler,
      logRetention,
      protectData,
      timeout: Duration.seconds(declared.timeoutSeconds ?? defaultTimeoutSeconds),
      memorySize: declared.memoryMB ?? functionDefaults.memoryMB,
      environment: { ...declared.environment, STAGE: props.stage },
    });
    /** Every function built from a declaration, bound to what it `uses` once all are built. */
    const declaredFunctions: [ServiceFunction, DeclaredFunction, string][] = [];
    /** A function bound to its own table with exactly the actions it declares. */
    const declaredFunction = (
      id: string,
      declared: DeclaredFunction,
      overrides: Partial<ServiceFunctionProps> = {},
    ) => {
      const built = new ServiceFunction(this, id, { ...functionProps(declared), ...overrides });
      if (table) built.bindTable(service.name, table, declared.tableActions ?? []);
      return built;
    };

    for (const [routeName, route] of Object.entries(service.routes)) {
      const routeFunction = declaredFunction(`${pascalCase(routeName)}Function`, route);
      routeFunction.bindRateLimits(props.rateLimits);
      if (props.corsOrigins.length > 0) {
        routeFunction.function.addEnvironment(corsOriginsVariable, props.corsOrigins.join(','));
      }
      declaredFunctions.push([routeFunction, route, routeName]);
      this.routeFunctions.set(routeName, routeFunction);
      const method = props.api.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          new LambdaIntegration(routeFunction.function),
          route.access === 'public'
            ? { authorizationType: AuthorizationType.NONE }
            : { authorizationType: AuthorizationType.CUSTOM, authorizer: props.authorizer },
        );
      if (route.access === 'public') {
        const reason = `${route.method} ${route.path} is public by contract (declared access 'public'): ${route.publicBecause}`;
        Validations.of(method).acknowledge(
          { id: 'AwsSolutions-APIG4', reason },
          { id: 'AwsSolutions-COG4', reason },
        );
      }
    }

    if (props.corsOrigins.length > 0) this.addPreflights(service, props.api, props.corsOrigins);

    Validations.of(props.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'The TOKEN authorizer verifies Cognito access tokens with aws-jwt-verify; a Cognito authorizer could not serve the OIDC issuers LocalStack and the sandbox use.',
    });

    for (const [state, task] of Object.entries(service.sagaTasks ?? {})) {
      const taskFunction = declaredFunction(`${state}Function`, task, {
        ...functionProps(task, sagaTaskDefaults.timeoutSeconds),
        functionName: orderSaga.taskFunctionName(props.namePrefix, state),
      });
      declaredFunctions.push([taskFunction, task, state]);
      this.taskFunctions.set(state, taskFunction.function);
    }

    const webSocket = service.webSocket
      ? new ServiceWebSocket(this, 'WebSocket', {
          definition: service.webSocket,
          stageName: props.stage,
          authEnvironment: props.authEnvironment(),
          serviceFunction: declaredFunction,
        })
      : undefined;

    for (const [name, subscription] of Object.entries(service.subscriptions ?? {})) {
      const consumer = declaredFunction(`${pascalCase(name)}Consumer`, subscription);
      declaredFunctions.push([consumer, subscription, name]);
      new EventSubscription(this, `${pascalCase(name)}Subscription`, {
        definition: subscription,
        bus: props.bus,
        consumer: consumer.function,
        consumerTimeout: consumer.function.timeout ?? Duration.seconds(10),
        protectData,
      });
    }

    for (const [name, schedule] of Object.entries(service.schedules ?? {})) {
      const scheduled = declaredFunction(`${pascalCase(name)}Function`, schedule);
      declaredFunctions.push([scheduled, schedule, name]);
      new Rule(this, `${pascalCase(name)}Schedule`, {
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new LambdaFunction(scheduled.function, { retryAttempts: 2 })],
      });
    }

    for (const [built, declared, name] of declaredFunctions) {
      for (const resource of declared.uses ?? []) {
        switch (resource) {
          case 'userDirectory':
            built.bindUserDirectory(props.userDirectory?.());
            break;
          case 'orderPaymentTokens':
            built.bindOrderPaymentTokens(serviceTableName(props.namePrefix, orderPaymentToken.ownerService));
            break;
          case 'paymentProvider':
            if (!props.payments)
              throw new Error(`${service.name}.${name} uses paymentProvider, but no payments are configured`);
            built.bindPaymentProvider(props.payments);
            break;
          case 'orderSaga':
            // By its fixed name: a reference to the saga stack would make a cycle (it needs our task functions).
            built.bindOrderSaga(orderSaga.stateMachineName(props.namePrefix));
            break;
          case 'webSocketConnections':
            if (!webSocket)
              throw new Error(`${service.name}.${name} uses webSocketConnections but declares no webSocket`);
            webSocket.bindPusher(built, webSocketManagementVariable);
            break;
        }
      }
    }

    for (const [name, alarm] of Object.entries(service.alarms ?? {})) {
      new Alarm(this, `${pascalCase(name)}Alarm`, {
        alarmDescription: alarm.description,
        metric: new Metric({
          namespace: metricsNamespace,
          metricName: alarm.metricName,
          dimensionsMap: { service: service.name },
          statistic: 'Sum',
          period: Duration.minutes(1),
        }),
        threshold: alarm.threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }

    if (table && (service.publishes ?? []).length > 0) {
      this.outbox = new OutboxPublisher(this, 'Outbox', {
        serviceName: service.name,
        namePrefix: props.namePrefix,
        table,
        bus: props.bus,
        logRetention,
        protectData,
      });
    }
  }

  /**
   * A preflight on each of the service's paths, answered by API Gateway itself (a mock
   * integration, no authorizer). Only an origin of the stage's gets CORS headers (the path's
   * methods, the headers the routes take): a mapping template compares the request's Origin with
   * the list and sets them, where CDK's own preflight would name the first origin to any caller.
   */
  private addPreflights(service: ServiceDefinition, api: IRestApi, origins: readonly string[]): void {
    const methodsByPath = new Map<string, string[]>();
    for (const route of Object.values(service.routes)) {
      methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    }
    for (const [path, methods] of methodsByPath) {
      const headers = corsPreflightHeaders('$origin', methods);
      const template = [
        '#set($origin = $input.params().header.get("Origin"))',
        '#if(!$origin || $origin == "") #set($origin = $input.params().header.get("origin")) #end',
        `#if(${origins.map((origin) => `$origin == ${JSON.stringify(origin)}`).join(' || ')})`,
        ...Object.entries(headers).map(
          ([name, value]) =>
            `#set($context.responseOverride.header.${name} = ${name === 'Access-Control-Allow-Origin' ? value : JSON.stringify(value)})`,
        ),
        '#end',
      ].join('\n');
      const preflight = api.root.resourceForPath(path).addMethod(
        'OPTIONS',
        new MockIntegration({
          requestTemplates: { 'application/json': '{ "statusCode": 204 }' },
          integrationResponses: [{ statusCode: '204', responseTemplates: { 'application/json': template } }],
        }),
        { authorizationType: AuthorizationType.NONE, methodResponses: [{ statusCode: '204' }] },
      );
      const reason = `OPTIONS ${path} is a CORS preflight: browsers send it without credentials, and API Gateway answers it itself.`;
      Validations.of(preflight).acknowledge(
        { id: 'AwsSolutions-APIG4', reason },
        { id: 'AwsSolutions-COG4', reason },
      );
    }
  }
}
