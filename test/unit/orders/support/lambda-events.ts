/**
 * Hand-built API Gateway (REST, proxy integration) events as the Lambda authorizer leaves them,
 * and a Lambda context, for invoking handlers directly.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { authorizerContext, type Caller } from '../../../../functions/shared/auth/caller.js';

export interface RequestSpec {
  method: string;
  resource: string;
  path: string;
  caller: Caller;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
}

let requestSequence = 0;

export function apiGatewayEvent(spec: RequestSpec): APIGatewayProxyEvent {
  requestSequence += 1;
  const body = spec.body ?? (spec.json === undefined ? null : JSON.stringify(spec.json));
  const headers: Record<string, string> = {
    Host: 'api.example.com',
    ...(body === null ? {} : { 'Content-Type': 'application/json' }),
    ...spec.headers,
  };
  return {
    resource: spec.resource,
    path: spec.path,
    httpMethod: spec.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: spec.query ?? null,
    multiValueQueryStringParameters: spec.query
      ? Object.fromEntries(Object.entries(spec.query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: spec.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      authorizer: {
        ...authorizerContext(spec.caller),
        principalId: spec.caller.userId,
        integrationLatency: 3,
      },
      httpMethod: spec.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
      path: `/prod${spec.path}`,
      protocol: 'HTTP/1.1',
      requestId: `request-${requestSequence}`,
      requestTimeEpoch: Date.now(),
      resourceId: 'abc123',
      resourcePath: spec.resource,
      stage: 'prod',
    },
  };
}

export function lambdaContext(functionName = 'orders-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `aws-request-${requestSequence}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
