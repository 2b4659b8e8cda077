/**
 * The offline runtime: DynamoDB Local with the services' tables, the local OIDC issuer, and the
 * API Gateway emulation serving every declared route with the real handlers and authorizer, all in
 * one Node process. `npm start` runs it; the e2e tier starts it on a free port.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { authorizerHandlerFile } from '../functions/platform/service.js';
import { services } from '../functions/services.js';
import { type RouteDefinition, tableNameVariable } from '../functions/shared/service-definition.js';
import {
  type ApiHandler,
  createGateway,
  type DevRoute,
  type LoadedRoute,
  type TokenAuthorizer,
} from './api-gateway.js';
import { localCredentials, localRegion, startDynamoDbLocal } from './dynamodb-local.js';
import { createOidcIssuer, tokenRequestSchema } from './oidc-issuer.js';
import { createServiceTables } from './tables.js';

export const repositoryRoot = join(import.meta.dirname, '..');
export const sandboxAudience = 'serverless-saas';

export interface SandboxOptions {
  port?: number;
  /** Persist DynamoDB Local's data in this folder instead of memory. */
  dataDir?: string;
}

export interface Sandbox {
  url: string;
  issuer: string;
  dynamoDbEndpoint: string;
  tables: ReadonlyMap<string, string>;
  routes: readonly RouteDefinition[];
  stop(): Promise<void>;
}

async function importHandler<T>(handlerFile: string): Promise<T> {
  const module = (await import(pathToFileURL(join(repositoryRoot, handlerFile)).href)) as { handler?: T };
  if (!module.handler) throw new Error(`${handlerFile} does not export a handler`);
  return module.handler;
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
  const defaults = {
    POWERTOOLS_SERVICE_NAME: 'sandbox',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  };
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  Object.assign(process.env, values);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dynamoDb = await startDynamoDbLocal({ ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  const server = createServer();
  try {
    const port = await listen(server, options.port ?? 3000);
    const url = `http://127.0.0.1:${port}`;
    const issuer = await createOidcIssuer(`${url}/_dev/issuer`, sandboxAudience, `${url}/_dev/token`);

    const adminClient = new DynamoDBClient({
      endpoint: dynamoDb.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const tables = await createServiceTables(adminClient, services);
    adminClient.destroy();

    configureEnvironment({
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      AUTH_ISSUER: issuer.issuer,
      AUTH_AUDIENCE: issuer.audience,
      AUTH_JWKS_URI: issuer.jwksUri,
      ...Object.fromEntries([...tables].map(([service, table]) => [tableNameVariable(service), table])),
    });

    const routes: LoadedRoute[] = [];
    for (const service of services) {
      for (const [routeName, definition] of Object.entries(service.routes)) {
        routes.push({
          serviceName: service.name,
          routeName,
          definition,
          handler: await importHandler<ApiHandler>(definition.handler),
        });
      }
    }
    const authorizer = await importHandler<TokenAuthorizer>(authorizerHandlerFile);

    const devRoutes: DevRoute[] = [
      {
        method: 'POST',
        path: '/_dev/token',
        handle: async (body) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            return {
              statusCode: 400,
              body: { title: 'Bad Request', status: 400, detail: 'Body is not JSON.' },
            };
          }
          const result = tokenRequestSchema.safeParse(parsed);
          if (!result.success) {
            return {
              statusCode: 400,
              body: { title: 'Bad Request', status: 400, detail: result.error.message },
            };
          }
          return { statusCode: 200, body: await issuer.mintAccessToken(result.data) };
        },
      },
      {
        method: 'GET',
        path: '/_dev/issuer/.well-known/openid-configuration',
        handle: async () => ({ statusCode: 200, body: issuer.discovery() }),
      },
      {
        method: 'GET',
        path: '/_dev/issuer/.well-known/jwks.json',
        handle: async () => ({ statusCode: 200, body: issuer.jwks() }),
      },
    ];

    server.on(
      'request',
      createGateway({
        routes,
        authorizer,
        devRoutes,
        onError: (error) => console.error('[sandbox] integration error:', error),
      }),
    );

    return {
      url,
      issuer: issuer.issuer,
      dynamoDbEndpoint: dynamoDb.endpoint,
      tables,
      routes: routes.map((route) => route.definition),
      stop: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dynamoDb.stop();
      },
    };
  } catch (error) {
    server.close();
    await dynamoDb.stop();
    throw error;
  }
}
