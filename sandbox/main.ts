/**
 * `npm start`: the sandbox in the foreground until Ctrl-C.
 *   PORT                 listen port (default 3000)
 *   SANDBOX_DATA_DIR     persist DynamoDB Local's data in this folder (default: in memory)
 *   --persist <dir>      the same as SANDBOX_DATA_DIR
 *   AUTH_PROFILE         cognito (default), keycloak or oidc: the shape of the issuer's tokens
 *   AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URI  trust this external OIDC issuer (Keycloak, any RFC
 *                        9068 issuer) instead of the local one, and only it
 *   USER_DIRECTORY       local (default with the local issuer) or none (default with an external
 *                        one: POST /tenants, POST /users and DELETE /users answer 501)
 *   SANDBOX_FAULTS       0-0.5: that fraction of saga tasks, PutEvents entries, stream batches and
 *                        consumer invocations fails, before or after its write (GET /_dev/faults)
 *   SANDBOX_SEED         the seed of those faults (default 1), to repeat a run
 *   ORDER_SETTLEMENT_DEADLINE_SECONDS  how long an order may stay PENDING before the sweeper
 *                        settles it (default 60 here; 900 deployed)
 *   SANDBOX_SCHEDULE_SECONDS  how often the sweeper runs (default 5)
 *   SANDBOX_RATE_LIMIT_SCALE  multiplies every rate limit's rate and burst (default 1: the
 *                        contract's numbers); the test suites and the benchmark raise it
 *   SANDBOX_PAYMENT_GATEWAY   test (default: tok_ok, tok_declined, ...) or stripe (billing's Stripe
 *                        adapter against a local fake of Stripe's API: pm_card_visa, ...)
 *   CORS_ORIGINS         comma-separated browser origins that may call it, `*` within one label
 *                        (default http://localhost:* and http://127.0.0.1:*; empty for none)
 */
import { parseArgs } from 'node:util';
import { tokenProfile } from '../functions/shared/auth/token-profiles.js';
import { allowedOrigins, corsOriginsVariable } from '../functions/shared/cors.js';
import { contractRateLimits, type RateLimit, scaledRateLimits } from '../functions/shared/rate-limits.js';
import { JavaMissingError } from './dynamodb-local.js';
import { faultSettingsFromEnvironment } from './faults.js';
import { startSandbox } from './sandbox.js';

const minimumNode = '22.22.2';
const versionNumber = (version: string) =>
  version.split('.').reduce((total, part) => total * 1000 + Number(part), 0);
if (versionNumber(process.versions.node) < versionNumber(minimumNode)) {
  console.error(`error: the sandbox needs Node.js ${minimumNode} or newer (found ${process.versions.node}).`);
  process.exit(1);
}

const startedAt = performance.now();
const { values } = parseArgs({ options: { persist: { type: 'string' } } });
const dataDir = values.persist ?? process.env.SANDBOX_DATA_DIR;
const port = Number(process.env.PORT ?? 3000);

const positiveNumber = (name: string): number | undefined => {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
};

/** AUTH_ISSUER and AUTH_AUDIENCE together, or neither; AUTH_JWKS_URI when the keys are elsewhere. */
function trustedIssuerFromEnvironment(): { issuer: string; audience: string; jwksUri?: string } | undefined {
  const issuer = process.env.AUTH_ISSUER || undefined;
  const audience = process.env.AUTH_AUDIENCE || undefined;
  const jwksUri = process.env.AUTH_JWKS_URI || undefined;
  if (issuer === undefined && audience === undefined) {
    if (jwksUri) throw new Error('AUTH_JWKS_URI needs AUTH_ISSUER and AUTH_AUDIENCE');
    return undefined;
  }
  if (issuer === undefined || audience === undefined) {
    throw new Error('Set both AUTH_ISSUER and AUTH_AUDIENCE to trust an external issuer, or neither');
  }
  return { issuer, audience, ...(jwksUri ? { jwksUri } : {}) };
}

try {
  const faults = faultSettingsFromEnvironment(process.env);
  const settlementDeadlineSeconds = positiveNumber('ORDER_SETTLEMENT_DEADLINE_SECONDS');
  const scheduleIntervalSeconds = positiveNumber('SANDBOX_SCHEDULE_SECONDS');
  const rateLimitScale = positiveNumber('SANDBOX_RATE_LIMIT_SCALE') ?? 1;
  const paymentGateway = process.env.SANDBOX_PAYMENT_GATEWAY || 'test';
  if (paymentGateway !== 'test' && paymentGateway !== 'stripe') {
    throw new Error(`SANDBOX_PAYMENT_GATEWAY must be test or stripe, not "${paymentGateway}"`);
  }
  const trustedIssuer = trustedIssuerFromEnvironment();
  const userDirectory = process.env.USER_DIRECTORY || undefined;
  if (userDirectory !== undefined && userDirectory !== 'local' && userDirectory !== 'none') {
    throw new Error(`USER_DIRECTORY must be local or none, not "${userDirectory}"`);
  }
  const sandbox = await startSandbox({
    port,
    ...(trustedIssuer ? { trustedIssuer } : {}),
    ...(userDirectory ? { userDirectory } : {}),
    authProfile: tokenProfile(process.env.AUTH_PROFILE),
    ...(dataDir ? { dataDir } : {}),
    ...(faults ? { faults } : {}),
    ...(settlementDeadlineSeconds ? { settlementDeadlineSeconds } : {}),
    ...(scheduleIntervalSeconds ? { scheduleIntervalSeconds } : {}),
    rateLimits: scaledRateLimits(contractRateLimits, rateLimitScale),
    ...(process.env[corsOriginsVariable] === undefined
      ? {}
      : { corsOrigins: allowedOrigins(process.env[corsOriginsVariable]) }),
    paymentGateway,
  });
  const limit = ({ requests, perSeconds, burst }: RateLimit) =>
    `${requests}/${perSeconds === 1 ? 's' : `${perSeconds}s`} (burst ${burst})`;
  const { rateLimits } = sandbox;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const routeLines = sandbox.routes.map(
    (route) =>
      `    ${route.method.padEnd(6)} ${route.path.padEnd(22)} ${route.access === 'public' ? 'public' : route.access.join(', ')}`,
  );
  console.log(
    [
      `serverless-saas sandbox ready in ${seconds}s`,
      `  API            ${sandbox.url} (reference: ${sandbox.url}/docs, OpenAPI: ${sandbox.url}/openapi.json)`,
      ...(sandbox.webSocketUrl ? [`  WebSocket      ${sandbox.webSocketUrl}?token=<access token>`] : []),
      sandbox.externalIssuer
        ? `  OIDC issuer    trusts ${sandbox.issuer} only (${sandbox.authProfile} tokens; AUTH_ISSUER), user directory ${sandbox.userDirectory}`
        : `  OIDC issuer    ${sandbox.issuer} (${sandbox.authProfile} tokens: POST ${sandbox.url}/_dev/token)`,
      `  DynamoDB Local ${sandbox.dynamoDbEndpoint} (${dataDir ? `persisted in ${dataDir}` : 'in memory'})`,
      `  tables         ${[...sandbox.tables.values()].join(', ')} (publishers' streams polled into the outbox publisher)`,
      `  event bus      rules: ${sandbox.busRules.join(', ')}`,
      `  sweeper        ${sandbox.schedules.join(', ')}: settles orders PENDING for over ${sandbox.settlementDeadlineSeconds}s`,
      `  rate limits    stage ${limit(rateLimits.stage)}, tenant ${limit(rateLimits.tenant)}, user ${limit(rateLimits.user)}, sign-up per address ${limit(rateLimits.sourceIp)} and in all ${limit(rateLimits.signUp)}${rateLimitScale === 1 ? '' : ` (SANDBOX_RATE_LIMIT_SCALE=${rateLimitScale})`}`,
      `  CORS           ${sandbox.corsOrigins.length > 0 ? sandbox.corsOrigins.join(', ') : 'no origin (CORS_ORIGINS is empty)'}`,
      `  faults         ${sandbox.faults ? `rate ${sandbox.faults.rate}, seed ${sandbox.faults.seed} (GET ${sandbox.url}/_dev/faults)` : 'none (SANDBOX_FAULTS=0.05 SANDBOX_SEED=7 to inject)'}`,
      `  payments       ${sandbox.stripe ? `Stripe's API faked at ${sandbox.stripe.endpoint} (pm_card_visa, pm_card_chargeDeclined, ...)` : 'the test gateway (see the README for its tokens; SANDBOX_PAYMENT_GATEWAY=stripe for Stripe)'}`,
      '  routes',
      ...routeLines,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox...`);
    await sandbox.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(`error: ${error.message}`);
  } else {
    console.error('error: the sandbox failed to start:', error);
  }
  process.exit(1);
}
