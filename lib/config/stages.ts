/** Per-stage configuration: everything that differs between dev and prod lives here, typed. */
import { type TokenProfileName, tokenProfile } from '../../functions/shared/auth/token-profiles.js';
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

export interface StageConfig {
  stage: Stage;
  target: DeployTarget;
  sagaWorkflowType: SagaWorkflowType;
  auth: AuthConfig;
  /** The stage's limit is API Gateway's stage throttle; the others are enforced by the handlers. */
  rateLimits: RateLimits;
  logRetentionDays: 7 | 30 | 90 | 365;
  /** Tables keep data and refuse deletion; log groups and queues are retained. */
  protectData: boolean;
}

export const stages: Record<Stage, StageConfig> = {
  dev: {
    stage: 'dev',
    target: 'aws',
    sagaWorkflowType: 'EXPRESS',
    auth: { kind: 'cognito' },
    rateLimits: contractRateLimits,
    logRetentionDays: 7,
    protectData: false,
  },
  prod: {
    stage: 'prod',
    target: 'aws',
    sagaWorkflowType: 'EXPRESS',
    auth: { kind: 'cognito' },
    rateLimits: contractRateLimits,
    logRetentionDays: 90,
    protectData: true,
  },
};

/**
 * `-c stage=prod` picks the stage; `-c authIssuer=... -c authAudience=...` (with optional
 * `-c authProfile=keycloak|oidc|cognito`, `-c authJwksUri=...`, `-c userDirectoryUrl=...`) trust
 * an OIDC issuer instead of the stack's own Cognito user pool; `-c sagaWorkflow=standard|express`
 * overrides the saga's workflow type; `-c target=localstack` synthesizes for LocalStack.
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
  const config: StageConfig = {
    ...stages[stage],
    target,
    ...(workflow ? { sagaWorkflowType: workflow } : {}),
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
