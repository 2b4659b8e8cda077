/**
 * The offline runtime: DynamoDB Local with the services' tables, the local OIDC issuer, and the
 * API Gateway emulation serving every declared route with the real handlers and authorizer, all in
 * one Node process. `npm start` runs it; the e2e tier starts it on a free port.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { undeliveredEventsQueueVariable } from '../functions/platform/outbox/undelivered-events.js';
import { authorizerHandlerFile, outboxPublisherHandlerFile } from '../functions/platform/service.js';
import { services } from '../functions/services.js';
import { type TokenProfile, tokenProfile } from '../functions/shared/auth/token-profiles.js';
import { corsOriginsVariable, sandboxCorsOrigins } from '../functions/shared/cors.js';
import { documentClient as handlersDocumentClient } from '../functions/shared/dynamodb.js';
import { orderPaymentToken } from '../functions/shared/order-payment-token.js';
import {
  outboxEntityType,
  outboxStreamFilter,
  outboxStreamRetryAttempts,
} from '../functions/shared/outbox.js';
import {
  contractRateLimits,
  memoryRateLimiter,
  type RateLimits,
  rateLimitEnvironment,
  rateLimitTable,
} from '../functions/shared/rate-limits.js';
import {
  declaredFunctionsOf,
  type FunctionSettings,
  orderSagaArnVariable,
  paymentProviderVariables,
  type RouteDefinition,
  sagaTaskDefaults,
  subscriptionDefaults,
  tableNameVariable,
  userDirectoryVariables,
  webSocketManagementVariable,
} from '../functions/shared/service-definition.js';
import { openApiDocument } from '../lib/openapi/document.js';
import { orderSaga } from '../statemachines/order-saga.js';
import {
  type ApiHandler,
  createGateway,
  type DevRoute,
  type LoadedRoute,
  type TokenAuthorizer,
} from './api-gateway.js';
import { apiReferenceRoutes } from './api-reference.js';
import { declaredContext, declaredEnvironment } from './declared-functions.js';
import { freePort, localCredentials, localRegion, startDynamoDbLocal } from './dynamodb-local.js';
import { type BusRule, createEventBus, type EventBus } from './event-bus.js';
import { createFaultInjector, type FaultInjector, type FaultSettings, withFault } from './faults.js';
import { lambdaContext } from './lambda-context.js';
import { createOidcIssuer, type TokenSubject, tokenRequestSchema } from './oidc-issuer.js';
import { createQueue, type QueueConsumer, type SandboxQueue } from './queue.js';
import {
  createSagaRunner,
  declaredSagaTasks,
  type SagaRunner,
  sandboxOrderSagaArn,
  type TaskHandler,
} from './saga-runner.js';
import { createLocalSecrets } from './secrets.js';
import { type StreamHandler, type StreamPoller, startStreamPoller } from './stream-poller.js';
import { type StripeFake, startStripeFake } from './stripe-fake.js';
import { installTablePermissionCheck, invokedAs } from './table-permissions.js';
import { createServiceTables, createTable, sandboxRateLimitTableName } from './tables.js';
import { createUndeliveredEvents } from './undelivered-events.js';
import {
  createLocalUserDirectory,
  createUserRequestSchema,
  type PreTokenGenerationTrigger,
  removeUserRequestSchema,
  UnknownUserError,
} from './user-directory.js';
import {
  createWebSocketApi,
  type RequestAuthorizer,
  type SandboxWebSocketApi,
  type WebSocketRouteHandler,
  webSocketPath,
} from './websocket.js';

export const repositoryRoot = join(import.meta.dirname, '..');
export const sandboxAudience = 'serverless-saas';
export const sandboxBusName = 'sandbox-bus';

export interface SandboxOptions {
  port?: number;
  /** Persist DynamoDB Local's data (and the user directory) in this folder instead of memory. */
  dataDir?: string;
  /** The shape of the tokens the local issuer mints and the authorizer expects (default cognito). */
  authProfile?: TokenProfile;
  /**
   * An external OIDC issuer to trust instead of the local one (Keycloak, any RFC 9068 issuer): the
   * REST and WebSocket authorizers then verify its tokens, in `authProfile`'s shape, and only its
   * tokens; `POST /_dev/token` answers 409.
   */
  trustedIssuer?: { issuer: string; audience: string; jwksUri?: string };
  /**
   * Where sign-up and invitation create users: the local issuer's directory, or none (501). With a
   * trusted external issuer, its users live there. @default `local`, or `none` with `trustedIssuer`
   */
  userDirectory?: 'local' | 'none';
  /** Inject faults into saga tasks, PutEvents entries, stream batches and consumers. */
  faults?: FaultSettings;
  /** How long an order may stay PENDING before the sweeper settles it. @default 60 */
  settlementDeadlineSeconds?: number;
  /** How often declared schedules (the sweeper) run. @default 5 */
  scheduleIntervalSeconds?: number;
  /** The stage throttle (here, in memory) and the handlers' limits (in DynamoDB Local, as in AWS). @default the contract's */
  rateLimits?: RateLimits;
  /** Browser origins that may call it (`*` within one label). @default `sandboxCorsOrigins` */
  corsOrigins?: readonly string[];
  /**
   * `test`: the contract's test gateway (`tok_ok`, ...). `stripe`: billing's Stripe adapter against
   * a local fake of Stripe's API (Stripe's test payment methods, `pm_card_visa`, ...), its key read
   * from a local Secrets Manager as deployed. @default 'test'
   */
  paymentGateway?: 'test' | 'stripe';
}

const sandboxDefaults = { settlementDeadlineSeconds: 60, scheduleIntervalSeconds: 5 } as const;

/** The secret the Stripe adapter reads offline (SANDBOX_PAYMENT_GATEWAY=stripe). */
const sandboxStripeSecretId = 'sandbox/stripe-secret-key';

export interface Sandbox {
  url: string;
  /** `ws://.../ws` when a service declares a WebSocket API. */
  webSocketUrl?: string;
  /** The issuer whose tokens it accepts: its own, or the trusted external one. */
  issuer: string;
  /** Whether that issuer is an external one (`trustedIssuer`). */
  externalIssuer: boolean;
  userDirectory: 'local' | 'none';
  authProfile: TokenProfile['name'];
  dynamoDbEndpoint: string;
  tables: ReadonlyMap<string, string>;
  routes: readonly RouteDefinition[];
  busRules: readonly string[];
  saga: SagaRunner;
  bus: EventBus;
  faults?: FaultInjector;
  settlementDeadlineSeconds: number;
  rateLimits: RateLimits;
  corsOrigins: readonly string[];
  /** The fake Stripe billing charges through, when started with `paymentGateway: 'stripe'`. */
  stripe?: StripeFake;
  /** Declared schedules, run every `scheduleIntervalSeconds`. */
  schedules: readonly string[];
  /** One queue per declared subscription, between its bus rule and its consumer. */
  queues: readonly SandboxQueue[];
  /** Every handler's invocations so far, by handler file. */
  invocations: ReadonlyMap<string, InvocationStats>;
  stop(): Promise<void>;
}

/** Invocations of one handler file and the milliseconds they took: what Lambda would bill. */
export interface InvocationStats {
  count: number;
  totalMs: number;
}

/**
 * All handlers share this process and its module-level Powertools instances, as concurrent
 * invocations share one Lambda Managed Instances environment: declaring that concurrency makes
 * Powertools keep each invocation's log keys (its correlation id above all) in the invocation's
 * own InvokeStore context, which the wrapper below opens as Lambda's runtime does.
 */
const invocationConcurrency = { AWS_LAMBDA_MAX_CONCURRENCY: '1000' } as const;

/**
 * Imports a handler and wraps it so every invocation runs in its own context, counted and timed
 * under its file, and sees a Lambda context with the function's declared timeout and memory.
 */
async function importHandler<T>(
  declared: FunctionSettings & { handler: string },
  meter: Map<string, InvocationStats>,
  defaultTimeoutSeconds?: number,
  ownTable?: string,
): Promise<T> {
  const handlerFile = declared.handler;
  const module = (await import(pathToFileURL(join(repositoryRoot, handlerFile)).href)) as { handler?: T };
  if (!module.handler) throw new Error(`${handlerFile} does not export a handler`);
  const handler = module.handler as unknown as (...args: unknown[]) => Promise<unknown>;
  const stats: InvocationStats = meter.get(handlerFile) ?? { count: 0, totalMs: 0 };
  meter.set(handlerFile, stats);
  const invokeStore = await InvokeStore.getInstanceAsync();
  // Handlers are (event, context) => Promise; the wrapper keeps that shape.
  return (async (event: unknown, context?: Context) => {
    const started = performance.now();
    try {
      const permissions = { name: handlerFile, table: ownTable, actions: declared.tableActions ?? [] };
      return await invokedAs(permissions, () =>
        invokeStore.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: randomUUID() }, () =>
          handler(event, declaredContext(handlerFile, context, declared, defaultTimeoutSeconds)),
        ),
      );
    } finally {
      stats.count += 1;
      stats.totalMs += performance.now() - started;
    }
  }) as unknown as T;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** What the handlers read from the environment, pointed at the local stand-ins of AWS. */
function configureEnvironment(values: Record<string, string>): void {
  const declared = declaredEnvironment(services, values);
  const defaults = {
    POWERTOOLS_SERVICE_NAME: 'sandbox',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  };
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  Object.assign(process.env, values, declared);
}

const userDirectoryPath = '/_dev/users';

function devProblem(status: number, detail: string) {
  const titles: Record<number, string> = { 400: 'Bad Request', 503: 'Service Unavailable' };
  return {
    statusCode: status,
    body: { type: 'about:blank', title: titles[status] ?? 'Error', status, detail },
  };
}

/** A `/_dev/*` body parsed with its schema, or the 400 problem that says why not. */
function parseDevRequest<T>(
  body: string,
  schema: z.ZodMiniType<T>,
): { value: T } | { problem: ReturnType<typeof devProblem> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problem: devProblem(400, 'The body is not JSON.') };
  }
  const result = schema.safeParse(parsed);
  return result.success ? { value: result.data } : { problem: devProblem(400, result.error.message) };
}

async function streamArnOf(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.LatestStreamArn) throw new Error(`Table ${tableName} has no stream`);
  return Table.LatestStreamArn;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // Before any AWS SDK call: the SDK creates the process's InvokeStore on first use, and only
  // this variable makes it one that keeps concurrent invocations apart.
  Object.assign(process.env, invocationConcurrency);
  const profile = options.authProfile ?? tokenProfile(undefined);
  const faults = options.faults ? createFaultInjector(options.faults) : undefined;
  const invocations = new Map<string, InvocationStats>();
  const settlementDeadlineSeconds =
    options.settlementDeadlineSeconds ?? sandboxDefaults.settlementDeadlineSeconds;
  const rateLimits = options.rateLimits ?? contractRateLimits;
  const corsOrigins = options.corsOrigins ?? sandboxCorsOrigins;
  let gateway: ReturnType<typeof createGateway> | undefined;
  // Answers from the moment it listens: 503 with Retry-After until every part is up, never silence.
  const server = createServer((request, response) => {
    if (gateway) {
      void gateway(request, response);
      return;
    }
    request.resume();
    response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' });
    response.end(JSON.stringify(devProblem(503, 'The sandbox is starting; retry shortly.').body));
  });
  // Handlers call AWS at cold start (the Stripe key from Secrets Manager) while others are still
  // loading: a request that arrives before the stand-ins exist waits for them instead of hanging.
  const awsApi =
    Promise.withResolvers<(request: IncomingMessage, response: ServerResponse) => Promise<void>>();
  const awsApiServer = createServer((request, response) => {
    void awsApi.promise.then((serve) => serve(request, response));
  });
  const pollers: StreamPoller[] = [];
  const scheduleTimers: NodeJS.Timeout[] = [];
  let webSocket: SandboxWebSocketApi | undefined;
  let dynamoDb: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  let stripe: StripeFake | undefined;
  const stopAll = async () => {
    for (const timer of scheduleTimers) clearInterval(timer);
    await Promise.all(pollers.map((poller) => poller.stop()));
    webSocket?.close();
    for (const httpServer of [server, awsApiServer]) {
      if (!httpServer.listening) continue;
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    }
    await dynamoDb?.stop();
    await stripe?.close();
  };
  try {
    const port = await listen(server, options.port ?? 3000);
    const url = `http://127.0.0.1:${port}`;
    dynamoDb = await startDynamoDbLocal({ ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
    const issuer = await createOidcIssuer({
      issuer: `${url}/_dev/issuer`,
      audience: sandboxAudience,
      tokenEndpoint: `${url}/_dev/token`,
      profile,
    });
    const trusted = options.trustedIssuer ?? issuer;
    const userDirectoryKind = options.userDirectory ?? (options.trustedIssuer ? 'none' : 'local');

    const adminClient = new DynamoDBClient({
      endpoint: dynamoDb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const tables = await createServiceTables(adminClient, services);
    // Each declared function may do to its service's table only what it declares, as in IAM.
    installTablePermissionCheck(handlersDocumentClient);
    const ownTableByHandler = new Map(
      services.flatMap((service) =>
        declaredFunctionsOf(service).map((declared) => [declared.handler, tables.get(service.name)] as const),
      ),
    );
    const load = <T>(declared: FunctionSettings & { handler: string }, defaultTimeoutSeconds?: number) =>
      importHandler<T>(declared, invocations, defaultTimeoutSeconds, ownTableByHandler.get(declared.handler));
    await createTable(adminClient, sandboxRateLimitTableName, rateLimitTable);
    const streamArns = new Map<string, string>();
    for (const [service, table] of tables) streamArns.set(service, await streamArnOf(adminClient, table));
    adminClient.destroy();
    const awsApiPort = await listen(awsApiServer, await freePort());

    const paymentGateway = options.paymentGateway ?? 'test';
    stripe = paymentGateway === 'stripe' ? await startStripeFake() : undefined;
    const secrets = createLocalSecrets(stripe ? { [sandboxStripeSecretId]: stripe.secretKey } : {});
    const paymentEnvironment: Record<string, string> = stripe
      ? {
          [paymentProviderVariables.gateway]: 'stripe',
          [paymentProviderVariables.secretId]: sandboxStripeSecretId,
          [paymentProviderVariables.endpoint]: stripe.endpoint,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${awsApiPort}`,
        }
      : { [paymentProviderVariables.gateway]: 'test' };
    const paymentTokensTable = tables.get(orderPaymentToken.ownerService);
    if (!paymentTokensTable) throw new Error(`No ${orderPaymentToken.ownerService} table for payment tokens`);
    configureEnvironment({
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      AUTH_ISSUER: trusted.issuer,
      AUTH_AUDIENCE: trusted.audience,
      AUTH_PROFILE: profile.name,
      ...(trusted.jwksUri ? { AUTH_JWKS_URI: trusted.jwksUri } : {}),
      ...(userDirectoryKind === 'local'
        ? { [userDirectoryVariables.localEndpoint]: `${url}${userDirectoryPath}` }
        : {}),
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${awsApiPort}`,
      AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${awsApiPort}`,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${awsApiPort}`,
      [undeliveredEventsQueueVariable]: `http://127.0.0.1:${awsApiPort}/000000000000/sandbox-undelivered-events`,
      [orderSagaArnVariable]: sandboxOrderSagaArn,
      ORDER_SETTLEMENT_DEADLINE_SECONDS: String(settlementDeadlineSeconds),
      EVENT_BUS_NAME: sandboxBusName,
      [webSocketManagementVariable]: `http://127.0.0.1:${awsApiPort}`,
      STAGE: 'sandbox',
      ...rateLimitEnvironment(sandboxRateLimitTableName, rateLimits),
      ...(corsOrigins.length > 0 ? { [corsOriginsVariable]: corsOrigins.join(',') } : {}),
      ...Object.fromEntries([...tables].map(([service, table]) => [tableNameVariable(service), table])),
      [orderPaymentToken.tableVariable]: paymentTokensTable,
      ...paymentEnvironment,
    });

    const routes: LoadedRoute[] = [];
    for (const service of services) {
      for (const [routeName, definition] of Object.entries(service.routes)) {
        routes.push({
          serviceName: service.name,
          routeName,
          definition,
          handler: await load<ApiHandler>(definition),
        });
      }
    }
    const authorizer = await importHandler<TokenAuthorizer>({ handler: authorizerHandlerFile }, invocations);
    const preTokenTriggerDefinition = services.find((service) => service.userPoolTriggers?.preTokenGeneration)
      ?.userPoolTriggers?.preTokenGeneration;
    const preTokenTrigger = preTokenTriggerDefinition
      ? await importHandler<PreTokenGenerationTrigger>(preTokenTriggerDefinition, invocations)
      : undefined;

    const taskHandlers: Record<string, TaskHandler> = {};
    for (const [state, task] of declaredSagaTasks(services)) {
      const taskHandler = await load<TaskHandler>(task, sagaTaskDefaults.timeoutSeconds);
      taskHandlers[state] = (input, context) => withFault(faults, 'task', () => taskHandler(input, context));
    }
    const saga = await createSagaRunner({
      repositoryRoot,
      taskHandlers,
      onExecutionFailed: (execution) =>
        console.error(`[sandbox] saga ${execution.executionArn} failed: ${execution.error}`),
    });
    const busRules: BusRule[] = [
      {
        name: `${orderSaga.name}-trigger`,
        eventPattern: orderSaga.trigger,
        deliver: async (event) => {
          saga.start(event);
        },
      },
    ];
    const queues: SandboxQueue[] = [];
    for (const service of services) {
      for (const [name, subscription] of Object.entries(service.subscriptions ?? {})) {
        const consumer = await load<QueueConsumer>(subscription);
        const queue = createQueue({
          name: `${service.name}-${name}`,
          consumer: (event, context) => withFault(faults, 'consumer', () => consumer(event, context)),
          batchSize: subscription.batchSize ?? subscriptionDefaults.batchSize,
          maxReceiveCount: subscription.maxReceiveCount ?? subscriptionDefaults.maxReceiveCount,
          onDeadLetter: (deadLetter) =>
            console.error(
              `[sandbox] ${deadLetter.queue} moved a message to its dead-letter queue after ${deadLetter.receiveCount} receives`,
            ),
        });
        queues.push(queue);
        // EventBridge's SQS target sends the whole event as the message body.
        busRules.push({
          name: queue.name,
          eventPattern: subscription.eventPattern,
          deliver: async (event) => queue.send(JSON.stringify(event)),
        });
      }
    }
    const deliveredEventIds = new Set<string>();
    const bus = createEventBus({
      busName: sandboxBusName,
      rules: busRules,
      ...(faults ? { faults } : {}),
      onAccepted: (event) => {
        const eventId = (event.detail as { metadata?: { eventId?: unknown } }).metadata?.eventId;
        if (typeof eventId === 'string') deliveredEventIds.add(eventId);
      },
      onDeadLetter: (deadLetter) =>
        console.error(
          `[sandbox] ${deadLetter.rule} gave up on ${deadLetter.event['detail-type']}: ${deadLetter.error}`,
        ),
    });
    const webSocketDefinition = services.find((service) => service.webSocket)?.webSocket;
    if (webSocketDefinition) {
      const webSocketApi = createWebSocketApi({
        authorizer: await importHandler<RequestAuthorizer>(webSocketDefinition.authorizer, invocations),
        connect: await load<WebSocketRouteHandler>(webSocketDefinition.connect),
        disconnect: await load<WebSocketRouteHandler>(webSocketDefinition.disconnect),
        onError: (error) => console.error('[sandbox] websocket integration error:', error),
      });
      webSocket = webSocketApi;
      server.on('upgrade', (request, socket, head) => void webSocketApi.handleUpgrade(request, socket, head));
    }
    const undeliveredEvents = createUndeliveredEvents();
    awsApi.resolve(async (request, response) => {
      if (await webSocket?.handleManagementRequest(request, response)) return;
      const target = String(request.headers['x-amz-target']);
      if (target.startsWith('AWSStepFunctions.')) await saga.handleApiRequest(request, response);
      else if (target.startsWith('AmazonSQS.')) await undeliveredEvents.handleApiRequest(request, response);
      else if (target.startsWith('secretsmanager.')) await secrets.handleApiRequest(request, response);
      else await bus.handleApiRequest(request, response);
    });

    const publisher = await importHandler<
      (
        event: Parameters<StreamHandler>[0],
        context: ReturnType<typeof lambdaContext>,
      ) => ReturnType<StreamHandler>
    >({ handler: outboxPublisherHandlerFile }, invocations);
    const streamsClient = new DynamoDBStreamsClient({
      endpoint: dynamoDb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const publishers = new Set(
      services.filter((service) => (service.publishes ?? []).length > 0).map((service) => service.name),
    );
    for (const [service, streamArn] of [...streamArns].filter(([name]) => publishers.has(name))) {
      pollers.push(
        startStreamPoller({
          client: streamsClient,
          streamArn,
          filterPattern: outboxStreamFilter,
          maxRetries: outboxStreamRetryAttempts,
          handler: (event) =>
            withFault(faults, 'stream', () =>
              publisher(event, lambdaContext(`${service}-outbox-publisher`, randomUUID())),
            ),
          onDeadLetter: (records, error) =>
            console.error(
              `[sandbox] ${service} outbox publisher gave up on ${records.length} record(s): ${error}`,
            ),
        }),
      );
    }

    const scheduleNames: string[] = [];
    for (const service of services) {
      for (const [name, schedule] of Object.entries(service.schedules ?? {})) {
        const scheduled = await load<(event: unknown, context: unknown) => Promise<unknown>>(schedule);
        let running = false;
        const run = async () => {
          if (running) return;
          running = true;
          try {
            await scheduled(
              { source: 'aws.events', 'detail-type': 'Scheduled Event' },
              lambdaContext(name, randomUUID()),
            );
          } catch (error) {
            console.error(`[sandbox] schedule ${service.name}.${name} failed:`, error);
          } finally {
            running = false;
          }
        };
        scheduleTimers.push(
          setInterval(
            () => void run(),
            (options.scheduleIntervalSeconds ?? sandboxDefaults.scheduleIntervalSeconds) * 1000,
          ),
        );
        scheduleNames.push(`${service.name}.${name}`);
      }
    }

    const documentClient = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamoDb.endpoint, region: localRegion, credentials: localCredentials }),
    );
    /** Every outbox event the publishers' tables hold, and which of them never reached the bus. */
    const outboxAudit = async () => {
      const written: string[] = [];
      for (const service of publishers) {
        const table = tables.get(service);
        if (!table) continue;
        const pages = paginateScan(
          { client: documentClient },
          {
            TableName: table,
            FilterExpression: 'entityType = :outbox',
            ExpressionAttributeValues: { ':outbox': outboxEntityType },
            ProjectionExpression: 'detail.metadata.eventId',
            ConsistentRead: true,
          },
        );
        for await (const page of pages) {
          for (const item of page.Items ?? []) written.push(String(item.detail?.metadata?.eventId));
        }
      }
      const undelivered = written.filter((eventId) => !deliveredEventIds.has(eventId));
      return { written: written.length, delivered: written.length - undelivered.length, undelivered };
    };

    const userDirectory = createLocalUserDirectory({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(preTokenTrigger ? { trigger: preTokenTrigger } : {}),
    });
    const devRoutes: DevRoute[] = [
      {
        method: 'POST',
        path: '/_dev/token',
        handle: async (body) => {
          if (options.trustedIssuer) {
            return devProblem(
              409,
              `This sandbox trusts ${options.trustedIssuer.issuer}: get access tokens there.`,
            );
          }
          const request = parseDevRequest(body, tokenRequestSchema);
          if ('problem' in request) return request.problem;
          let subject: TokenSubject;
          if ('email' in request.value) {
            try {
              subject = await userDirectory.signIn(request.value.email);
            } catch (error) {
              if (error instanceof UnknownUserError) return devProblem(400, error.message);
              throw error;
            }
          } else {
            subject = request.value;
          }
          return {
            statusCode: 200,
            body: await issuer.mintAccessToken({
              ...subject,
              expiresInSeconds: request.value.expiresInSeconds,
            }),
          };
        },
      },
      {
        method: 'POST',
        path: userDirectoryPath,
        handle: async (body) => {
          const request = parseDevRequest(body, createUserRequestSchema);
          if ('problem' in request) return request.problem;
          const { user, created } = userDirectory.createUser(request.value);
          return { statusCode: created ? 201 : 200, body: { user } };
        },
      },
      {
        method: 'DELETE',
        path: userDirectoryPath,
        handle: async (body) => {
          const request = parseDevRequest(body, removeUserRequestSchema);
          if ('problem' in request) return request.problem;
          return { statusCode: userDirectory.removeUser(request.value.email) ? 204 : 404, body: undefined };
        },
      },
      {
        method: 'GET',
        path: '/_dev/faults',
        handle: async () => ({
          statusCode: 200,
          body: faults
            ? { rate: faults.rate, seed: faults.seed, injected: faults.injected }
            : { rate: 0, seed: null, injected: { task: 0, putEvents: 0, stream: 0, consumer: 0 } },
        }),
      },
      {
        method: 'GET',
        path: '/_dev/undelivered-events',
        handle: async () => ({
          statusCode: 200,
          body: { events: undeliveredEvents.parked.map(({ messageId, entry }) => ({ messageId, ...entry })) },
        }),
      },
      {
        method: 'POST',
        path: '/_dev/undelivered-events/redrive',
        handle: async () => ({
          statusCode: 200,
          body: await undeliveredEvents.redrive(async (entries) => bus.putEvents(entries)),
        }),
      },
      {
        method: 'GET',
        path: '/_dev/outbox',
        handle: async () => ({ statusCode: 200, body: await outboxAudit() }),
      },
      {
        method: 'GET',
        path: '/openapi.json',
        handle: async () => ({ statusCode: 200, body: openApiDocument(url) }),
      },
      ...apiReferenceRoutes(),
      {
        method: 'GET',
        path: '/_dev/issuer/.well-known/openid-configuration',
        handle: async () => ({ statusCode: 200, body: issuer.discovery() }),
      },
      {
        method: 'GET',
        path: new URL(issuer.jwksUri).pathname,
        handle: async () => ({ statusCode: 200, body: issuer.jwks() }),
      },
    ];

    gateway = createGateway({
      routes,
      authorizer,
      devRoutes,
      stageThrottle: memoryRateLimiter(rateLimits.stage),
      corsOrigins,
      onError: (error) => console.error('[sandbox] integration error:', error),
    });

    return {
      url,
      ...(webSocket ? { webSocketUrl: `${url.replace(/^http/, 'ws')}${webSocketPath}` } : {}),
      issuer: trusted.issuer,
      externalIssuer: options.trustedIssuer !== undefined,
      userDirectory: userDirectoryKind,
      authProfile: profile.name,
      dynamoDbEndpoint: dynamoDb.endpoint,
      tables,
      routes: routes.map((route) => route.definition),
      busRules: busRules.map((rule) => rule.name),
      saga,
      bus,
      ...(faults ? { faults } : {}),
      settlementDeadlineSeconds,
      rateLimits,
      corsOrigins,
      ...(stripe ? { stripe } : {}),
      schedules: scheduleNames,
      queues,
      invocations,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
