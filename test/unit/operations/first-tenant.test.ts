import {
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { createFirstTenant } from '../../../lib/operations/first-tenant.js';
import { localServer } from '../../support/local-server.js';

const cognito = mockClient(CognitoIdentityProviderClient);
const requests: { method: string; url: string; authorization?: string; body: string }[] = [];
let signUpStatus = 201;
let api: Awaited<ReturnType<typeof localServer>>;

beforeAll(async () => {
  api = await localServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      body,
    });
    response.setHeader('content-type', 'application/json');
    if (request.url === '/dev/tenants') {
      response.statusCode = signUpStatus;
      response.end(
        JSON.stringify(
          signUpStatus === 201 ? { tenantId: 't-1', adminUserId: 'u-1' } : { detail: 'Rate limit exceeded' },
        ),
      );
      return;
    }
    response.end(JSON.stringify({ tenantId: 't-1', userId: 'u-1', roles: ['admin'] }));
  });
});

afterAll(() => api.close());

beforeEach(() => {
  cognito.reset();
  requests.length = 0;
  signUpStatus = 201;
});

const input = () => ({
  apiUrl: `${api.url}/dev/`,
  userPoolId: 'eu-west-1_pool',
  clientId: 'client-1',
  tenantName: 'Acme Shop',
  adminEmail: 'ada@example.com',
});

describe('createFirstTenant', () => {
  it('signs the tenant up over the API, sets a permanent password, signs the admin in and proves the token on /me', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'access-token' } });

    const tenant = await createFirstTenant(
      input(),
      new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
    );

    expect(requests.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'POST /dev/tenants',
      'GET /dev/me',
    ]);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ name: 'Acme Shop', adminEmail: 'ada@example.com' });
    expect(requests[1]?.authorization).toBe('Bearer access-token');
    const [setPassword] = cognito.commandCalls(AdminSetUserPasswordCommand);
    expect(setPassword?.args[0].input).toEqual({
      UserPoolId: 'eu-west-1_pool',
      Username: 'ada@example.com',
      Password: tenant.password,
      Permanent: true,
    });
    expect(tenant.password).toMatch(/[a-z]/);
    expect(tenant.password).toMatch(/[A-Z]/);
    expect(tenant.password).toMatch(/[0-9]/);
    expect(tenant.password.length).toBeGreaterThanOrEqual(24);
    expect(cognito.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input).toMatchObject({
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: tenant.password },
    });
    expect(tenant).toMatchObject({ tenantId: 't-1', accessToken: 'access-token', me: { tenantId: 't-1' } });
  });

  it('stops at a refused sign-up, touching no user', async () => {
    signUpStatus = 429;

    await expect(
      createFirstTenant(input(), new CognitoIdentityProviderClient({ region: 'eu-west-1' })),
    ).rejects.toThrow('POST /tenants answered 429: Rate limit exceeded');
    expect(cognito.calls()).toHaveLength(0);
  });
});
