import { apiGatewayEvent, lambdaContext } from '../../fixtures/lambda-events.js';

Object.assign(process.env, {
  IDENTITY_TABLE_NAME: 'identity-test',
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});
delete process.env.USER_POOL_ID;
delete process.env.USER_DIRECTORY_URL;

describe('a deployment that trusts an external issuer without a user directory', () => {
  it('answers POST /tenants with 501 problem+json and creates nothing', async () => {
    const { handler } = await import('../../../functions/identity/handlers/create-tenant.js');
    const event = apiGatewayEvent({
      method: 'POST',
      resource: '/tenants',
      path: '/tenants',
      json: { name: 'Shop', adminEmail: 'ada@example.com' },
      // Public route: the authorizer context is dropped below, as API Gateway sends none.
      caller: { tenantId: 'unused', userId: 'unused', roles: [] },
    });

    const result = await handler(
      { ...event, requestContext: { ...event.requestContext, authorizer: null } },
      lambdaContext(),
    );

    expect(result.statusCode).toBe(501);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({
      status: 501,
      detail: expect.stringContaining('external OIDC issuer'),
    });
  });
});
