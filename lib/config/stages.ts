/** Per-stage configuration: everything that differs between dev and prod lives here, typed. */
export type Stage = 'dev' | 'prod';

export type AuthConfig =
  /** The platform stack creates a Cognito user pool; issuer and audience come from it. */
  | { kind: 'cognito' }
  /** Any OIDC issuer: the sandbox's, or one reachable from LocalStack. */
  | { kind: 'oidc'; issuer: string; audience: string; jwksUri?: string };

export interface StageConfig {
  stage: Stage;
  auth: AuthConfig;
  throttling: { rateLimit: number; burstLimit: number };
  logRetentionDays: 7 | 30 | 90 | 365;
  /** Tables keep data and refuse deletion; log groups and queues are retained. */
  protectData: boolean;
}

export const stages: Record<Stage, StageConfig> = {
  dev: {
    stage: 'dev',
    auth: { kind: 'cognito' },
    throttling: { rateLimit: 50, burstLimit: 100 },
    logRetentionDays: 7,
    protectData: false,
  },
  prod: {
    stage: 'prod',
    auth: { kind: 'cognito' },
    throttling: { rateLimit: 500, burstLimit: 1000 },
    logRetentionDays: 90,
    protectData: true,
  },
};

/** `-c stage=prod` picks the stage; `-c authIssuer=... -c authAudience=...` switch auth to an OIDC issuer. */
export function stageConfig(context: (key: string) => unknown): StageConfig {
  const stage = (context('stage') ?? 'dev') as string;
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`Unknown stage "${stage}": use dev or prod`);
  const config = stages[stage];
  const issuer = context('authIssuer');
  const audience = context('authAudience');
  if (typeof issuer === 'string' && typeof audience === 'string') {
    const jwksUri = context('authJwksUri');
    return {
      ...config,
      auth: { kind: 'oidc', issuer, audience, ...(typeof jwksUri === 'string' ? { jwksUri } : {}) },
    };
  }
  return config;
}
