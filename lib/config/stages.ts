/** Per-stage configuration: everything that differs between dev and prod lives here, typed. */
import { type TokenProfileName, tokenProfile } from '../../functions/shared/auth/token-profiles.js';
import { assertExactOrigin } from '../../functions/shared/cors.js';
import { contractRateLimits, type RateLimits } from '../../functions/shared/rate-limits.js';

export type Stage = 'dev' | 'prod';

export type AuthConfig =
  /** The platform stack creates a Cognito user pool; issuer, audience and users come from it. */
  | { kind: 'cognito' }
  /**
   * Any OIDC issuer whose access tokens follow `profile` (Keycloak, an RFC 9068 issuer, the
   * sandbox's). Users are then created in that issuer, or through `userDirectoryUrl` when it
   * offers the sandbox's `/_dev/users` interface (LocalStack against the sandbox's issuer).
   */
  | {
      kind: 'oidc';
      profile: TokenProfileName;
      issuer: string;
      audience: string;
      jwksUri?: string;
      userDirectoryUrl?: string;
    };

/**
 * EXPRESS (the default) bills by duration and runs at most 5 minutes, at least once: the claim and
 * per-step idempotency make a duplicate execution harmless. STANDARD bills per state transition
 * (about five times the cost per order) and keeps a 90-day execution history in the console.
 */
export type SagaWorkflowType = 'EXPRESS' | 'STANDARD';

/**
 * Where the stacks deploy. LocalStack's CloudFormation lacks some resource types AWS has
 * (test/cdk/localstack-coverage.test.ts holds its list); there the stacks leave those out.
 */
export type DeployTarget = 'aws' | 'localstack';

/**
 * How billing charges. `test`: the contract's deterministic test gateway (no money moves), only
 * where the stage sets `allowsTestPayments`. `stripe`: Stripe PaymentIntents, the secret key read
 * at cold start from the named Secrets Manager secret, which the operator creates (the key never
 * enters a template, an environment variable or a log).
 */
export type PaymentsConfig = { gateway: 'test' } | { gateway: 'stripe'; secretName: string };

export interface StageConfig {
  stage: Stage;
  target: DeployTarget;
  sagaWorkflowType: SagaWorkflowType;
  auth: AuthConfig;
  /** The stage's limit is API Gateway's stage throttle; the others are enforced by the handlers. */
  rateLimits: RateLimits;
  /** Browser origins that may call the API (CORS), exact as a browser sends them; none by default. */
  corsOrigins: readonly string[];
  logRetentionDays: 7 | 30 | 90 | 365;
  /** Tables keep data and refuse deletion; log groups and queues are retained. */
  protectData: boolean;
  payments: PaymentsConfig;
  /** Whether `payments` may be the test gateway: never in prod, where synthesis refuses it. */
  allowsTestPayments: boolean;
}

export const stages: Record<Stage, StageConfig> = {
  dev: {
    stage: 'dev',
    target: 'aws',
    sagaWorkflowType: 'EXPRESS',
    auth: { kind: 'cognito' },
    rateLimits: contractRateLimits,
    corsOrigins: [],
    logRetentionDays: 7,
    protectData: false,
    payments: { gateway: 'test' },
    allowsTestPayments: true,
  },
  prod: {
    stage: 'prod',
    target: 'aws',
    sagaWorkflowType: 'EXPRESS',
    auth: { kind: 'cognito' },
    rateLimits: contractRateLimits,
    corsOrigins: [],
    logRetentionDays: 90,
    protectData: true,
    payments: { gateway: 'stripe', secretName: 'serverless-saas/prod/stripe-secret-key' },
    allowsTestPayments: false,
  },
};

/**
 * `-c stage=prod` picks the stage; `-c authIssuer=... -c authAudience=...` (with optional
 * `-c authProfile=keycloak|oidc|cognito`, `-c authJwksUri=...`, `-c userDirectoryUrl=...`) trust
 * an OIDC issuer instead of the stack's own Cognito user pool; `-c sagaWorkflow=standard|express`
 * overrides the saga's workflow type; `-c target=localstack` synthesizes for LocalStack;
 * `-c paymentGateway=stripe -c stripeSecretName=...` (or `=test`) overrides how billing charges;
 * `-c signUpsPerHour=N` sets the stage's sign-up limit (all addresses together; default 100);
 * `-c corsOrigins=https://app.example.com,...` names the browser origins that may call the API.
 */
export function stageConfig(context: (key: string) => unknown): StageConfig {
  const stage = (context('stage') ?? 'dev') as string;
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`Unknown stage "${stage}": use dev or prod`);
  const text = (key: string) => {
    const value = context(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const workflow = text('sagaWorkflow')?.toUpperCase();
  if (workflow !== undefined && workflow !== 'EXPRESS' && workflow !== 'STANDARD') {
    throw new Error(`Unknown -c sagaWorkflow=${workflow}: use express or standard`);
  }
  const target = text('target') ?? 'aws';
  if (target !== 'aws' && target !== 'localstack')
    throw new Error(`Unknown -c target=${target}: use aws or localstack`);
  const base = stages[stage];
  const signUpsPerHour = positiveInteger(text('signUpsPerHour'), 'signUpsPerHour');
  const corsOrigins = text('corsOrigins')
    ?.split(',')
    .map((origin) => origin.trim());
  for (const origin of corsOrigins ?? []) assertExactOrigin(origin);
  const config: StageConfig = {
    ...base,
    target,
    ...(corsOrigins ? { corsOrigins } : {}),
    ...(signUpsPerHour === undefined
      ? {}
      : {
          rateLimits: {
            ...base.rateLimits,
            signUp: { requests: signUpsPerHour, perSeconds: 3600, burst: signUpsPerHour },
          },
        }),
    ...(workflow ? { sagaWorkflowType: workflow } : {}),
    ...paymentsOverride(text('paymentGateway'), text('stripeSecretName')),
  };
  const issuer = text('authIssuer');
  const audience = text('authAudience');
  if ((issuer === undefined) !== (audience === undefined)) {
    throw new Error(
      'Set both -c authIssuer and -c authAudience, or neither (the stack then creates a Cognito user pool)',
    );
  }
  if (issuer === undefined || audience === undefined) return config;
  const jwksUri = text('authJwksUri');
  const userDirectoryUrl = text('userDirectoryUrl');
  return {
    ...config,
    auth: {
      kind: 'oidc',
      profile: tokenProfile(text('authProfile')).name,
      issuer,
      audience,
      ...(jwksUri ? { jwksUri } : {}),
      ...(userDirectoryUrl ? { userDirectoryUrl } : {}),
    },
  };
}

function positiveInteger(value: string | undefined, key: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`-c ${key} must be a positive integer, not "${value}"`);
  return number;
}

function paymentsOverride(
  gateway: string | undefined,
  secretName: string | undefined,
): { payments?: PaymentsConfig } {
  if (gateway === undefined) {
    if (secretName !== undefined) throw new Error('-c stripeSecretName needs -c paymentGateway=stripe');
    return {};
  }
  if (gateway === 'test') return { payments: { gateway: 'test' } };
  if (gateway !== 'stripe') throw new Error(`Unknown -c paymentGateway=${gateway}: use stripe or test`);
  if (secretName === undefined) {
    throw new Error('-c paymentGateway=stripe needs -c stripeSecretName=<the Secrets Manager secret>');
  }
  return { payments: { gateway: 'stripe', secretName } };
}

/** Synthesis stops here for a stage that would charge through the test gateway without allowing it. */
export function assertPaymentsAllowed(config: StageConfig): void {
  if (config.payments.gateway === 'test' && !config.allowsTestPayments) {
    throw new Error(
      `Stage ${config.stage} does not allow the test payment gateway: set its payments to Stripe (-c paymentGateway=stripe -c stripeSecretName=...).`,
    );
  }
}
