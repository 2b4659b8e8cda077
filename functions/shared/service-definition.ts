/**
 * The wiring of a service as plain data: its table, routes, event subscriptions and saga tasks.
 * The CDK constructs and the sandbox are both built from these declarations, so what deploys and
 * what runs offline cannot drift apart. No CDK or AWS SDK import may appear here.
 *
 * @example
 * export const catalogService = defineService({
 *   name: 'catalog',
 *   table: standardTable,
 *   routes: { getProduct: { method: 'GET', path: '/products/{id}', handler: 'functions/catalog/handlers/get-product.ts', access: ['admin', 'member'] } },
 * });
 */

export const roles = ['admin', 'member'] as const;
export type Role = (typeof roles)[number];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * What a function may use besides its own table. CDK grants it and sets the variables that name
 * it; the sandbox points the same variables at its local stand-in.
 * - `userDirectory`: create and look up users (Cognito in AWS, the local issuer offline).
 * - `webSocketConnections`: push to the service's WebSocket connections (the API Gateway
 *   management API in AWS, the sandbox's emulation of it offline).
 * - `orderSaga`: start executions of the order saga (Step Functions in AWS, the local runner offline).
 * - `orderPaymentTokens`: read a PENDING order's payment token from the orders table (that
 *   attribute only; see functions/shared/order-payment-token.ts).
 * - `paymentProvider`: charge and refund through the stage's payment provider (Stripe, its secret
 *   key read from Secrets Manager, or the test gateway where the stage allows it; offline, the test
 *   gateway or a local fake of Stripe's API).
 */
export type PlatformResource =
  | 'userDirectory'
  | 'webSocketConnections'
  | 'orderSaga'
  | 'orderPaymentTokens'
  | 'paymentProvider';

/**
 * DynamoDB actions a function may call on its service's table and its indexes (IAM's
 * `dynamodb:<action>`; a transaction's items are each checked as their own action). Scan is not
 * one of them: no request or event path scans.
 */
export const tableActions = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
] as const;
export type TableAction = (typeof tableActions)[number];

/** What a function that only reads may hold (every GET, POST /graphql). */
export const readTableActions: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query'];

/**
 * What a declared function sets for itself. CDK deploys it with these; the sandbox sets the same
 * environment before it loads the handler and gives it a Lambda context with the same timeout and
 * memory.
 */
export interface FunctionSettings {
  /** @default functionDefaults.timeoutSeconds (saga tasks: sagaTaskDefaults.timeoutSeconds) */
  timeoutSeconds?: number;
  /** @default functionDefaults.memoryMB */
  memoryMB?: number;
  /**
   * Variables the function reads besides those its table and `uses` set. The sandbox runs every
   * handler in one process, so two functions may not give one variable different values.
   */
  environment?: Readonly<Record<string, string>>;
  /** What it may use besides its own table; CDK grants exactly these. */
  uses?: readonly PlatformResource[];
  /**
   * What its code calls on its service's table: CDK grants exactly these, and the sandbox refuses
   * any other call with AccessDeniedException, as IAM would. @default none
   */
  tableActions?: readonly TableAction[];
}

export const functionDefaults = { timeoutSeconds: 10, memoryMB: 256 } as const;

interface RouteBase extends FunctionSettings {
  method: HttpMethod;
  /** API Gateway resource path, e.g. `/products/{id}`. */
  path: string;
  /** Handler file, relative to the repository root; it exports `handler`. */
  handler: string;
}

/** Behind the token authorizer; the roles allowed to call the route. */
export interface ProtectedRouteDefinition extends RouteBase {
  access: readonly Role[];
}

/** No authorizer at all; the reason is written into the deployed stack's cdk-nag record. */
export interface PublicRouteDefinition extends RouteBase {
  access: 'public';
  publicBecause: string;
  /**
   * Limited as sign-ups are: each source address at the stage's `sourceIp` rate (5 a minute), and
   * all addresses together at its `signUp` rate (100 an hour by default).
   */
  limitedAsSignUp?: true;
}

export type RouteDefinition = ProtectedRouteDefinition | PublicRouteDefinition;

export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /**
   * The attributes the index copies besides the keys; every attribute when absent. A narrow
   * projection makes writes that change only other attributes free for the index.
   */
  include?: readonly string[];
}

export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  globalSecondaryIndexes: readonly IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry (outbox items, idempotency records). */
  timeToLiveAttribute: string;
}

/** An EventBridge pattern as plain JSON, used verbatim by CDK rules and by the sandbox's bus. */
export type EventPattern = Readonly<Record<string, unknown>>;

/**
 * A Lambda invoked by the order saga; its key in `sagaTasks` is the ASL Task state's name. The
 * Task state's TimeoutSeconds must exceed the function's timeout (a cdk test checks it), so a
 * timed-out attempt is over before its retry or compensation starts.
 */
export interface SagaTaskDefinition extends FunctionSettings {
  handler: string;
}

export const sagaTaskDefaults = { timeoutSeconds: 3 } as const;

/** A function run on a schedule (an EventBridge schedule rule in AWS, a timer in the sandbox). */
export interface ScheduleDefinition extends FunctionSettings {
  handler: string;
  everyMinutes: number;
}

/**
 * A consumer of domain events: a bus rule with this pattern feeds an SQS queue (with a dead-letter
 * queue) that the handler reads in batches, reporting failed records one by one.
 */
export interface SubscriptionDefinition extends FunctionSettings {
  eventPattern: EventPattern;
  handler: string;
  /** Records per invocation. @default 10 */
  batchSize?: number;
  /** Receives of a failing message before it moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
}

export const subscriptionDefaults = { batchSize: 10, maxReceiveCount: 5 } as const;

/**
 * Functions the user pool calls. `preTokenGeneration` (V2 event) writes the claims the verifier
 * reads into each token; CDK attaches it to the Cognito user pool and the sandbox's issuer runs it
 * when it signs a user in.
 */
export interface UserPoolTriggersDefinition {
  preTokenGeneration?: { handler: string };
}

/**
 * A WebSocket API: `authorizer` (a REQUEST authorizer reading `?token=`, with the REST verifier)
 * guards `$connect`; its context reaches `connect` and `disconnect`.
 */
export interface WebSocketDefinition {
  authorizer: { handler: string };
  connect: { handler: string; tableActions: readonly TableAction[] };
  disconnect: { handler: string; tableActions: readonly TableAction[] };
}

/**
 * An alarm on one of the service's own metrics (Powertools EMF, dimension `service`): fires when
 * the metric's one-minute sum reaches `threshold`.
 */
export interface MetricAlarmDefinition {
  metricName: string;
  threshold: number;
  /** What firing means and what to do; it becomes the alarm's description. */
  description: string;
}

export interface ServiceDefinition {
  /** Lower-case service name; also the EventBridge source suffix (`saas.<name>`). */
  name: string;
  table?: TableDefinition;
  /**
   * The detail types of the events it writes to its outbox. A service that publishes gets the
   * outbox publisher on its table's stream; one that publishes nothing gets none.
   */
  publishes?: readonly string[];
  routes: Readonly<Record<string, RouteDefinition>>;
  sagaTasks?: Readonly<Record<string, SagaTaskDefinition>>;
  subscriptions?: Readonly<Record<string, SubscriptionDefinition>>;
  schedules?: Readonly<Record<string, ScheduleDefinition>>;
  alarms?: Readonly<Record<string, MetricAlarmDefinition>>;
  userPoolTriggers?: UserPoolTriggersDefinition;
  webSocket?: WebSocketDefinition;
}

/** The table layout every service uses: generic keys, one overloaded GSI, a TTL attribute. */
export const standardTable: TableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalSecondaryIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  timeToLiveAttribute: 'expiresAt',
};

/** Environment variable through which a service's functions learn their table's name. */
export function tableNameVariable(serviceName: string): string {
  return `${serviceName.toUpperCase()}_TABLE_NAME`;
}

export function defineService<const T extends ServiceDefinition>(definition: T): T {
  return definition;
}

/**
 * Every function a service declares with its own settings: its routes, saga tasks, subscriptions,
 * schedules and its WebSocket API's `$connect` and `$disconnect` (the authorizer holds no table).
 */
export function declaredFunctionsOf(service: ServiceDefinition): (FunctionSettings & { handler: string })[] {
  return [
    ...Object.values(service.routes),
    ...Object.values(service.sagaTasks ?? {}),
    ...Object.values(service.subscriptions ?? {}),
    ...Object.values(service.schedules ?? {}),
    ...(service.webSocket ? [service.webSocket.connect, service.webSocket.disconnect] : []),
  ];
}

/** Where functions that use `webSocketConnections` post to connections (the management API's endpoint). */
export const webSocketManagementVariable = 'WEBSOCKET_MANAGEMENT_ENDPOINT';

/** Where functions that use `orderSaga` start executions: the state machine's ARN. */
export const orderSagaArnVariable = 'ORDER_SAGA_ARN';

/**
 * How functions that use the `paymentProvider` reach it: which gateway, the Secrets Manager secret
 * holding Stripe's secret key (its name or ARN, never the key), and, offline only, where the local
 * fake of Stripe's API listens.
 */
export const paymentProviderVariables = {
  gateway: 'PAYMENT_GATEWAY',
  secretId: 'PAYMENT_PROVIDER_SECRET_ID',
  endpoint: 'PAYMENT_PROVIDER_ENDPOINT',
  /** Each provider request's limit: the functions that call it declare it below their timeout. */
  timeoutMs: 'PAYMENT_PROVIDER_TIMEOUT_MS',
} as const;

/**
 * Environment variables through which functions that use the `userDirectory` learn where it is:
 * the Cognito user pool in AWS, or the local issuer's user endpoint offline (exactly one is set).
 */
export const userDirectoryVariables = {
  userPoolId: 'USER_POOL_ID',
  localEndpoint: 'USER_DIRECTORY_URL',
} as const;
