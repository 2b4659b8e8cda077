/**
 * After `cdk deploy` with the stack's own Cognito user pool: sign the first tenant up through the
 * API as any customer would, give its admin a password, and sign the admin in, so the deployer
 * holds a working access token. Used by `npm run first-tenant` (bin/first-tenant.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

export interface FirstTenantInput {
  /** The stage's API URL (stack output `ApiUrl`), with or without a trailing slash. */
  apiUrl: string;
  userPoolId: string;
  clientId: string;
  tenantName: string;
  adminEmail: string;
}

export interface FirstTenant {
  tenantId: string;
  adminEmail: string;
  /** Shown once: Cognito keeps only its hash. */
  password: string;
  accessToken: string;
  /** What `GET /me` answers with the token: proof that it works. */
  me: unknown;
}

/** Upper, lower, digit and symbol, as the user pool's password policy asks. */
function generatedPassword(): string {
  return `${randomBytes(18).toString('base64url')}aA1!`;
}

export async function createFirstTenant(
  input: FirstTenantInput,
  cognito: CognitoIdentityProviderClient,
  fetchImpl: typeof fetch = fetch,
): Promise<FirstTenant> {
  const api = input.apiUrl.replace(/\/$/, '');
  const signUp = await fetchImpl(`${api}/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: input.tenantName, adminEmail: input.adminEmail }),
  });
  const created = (await signUp.json()) as { tenantId?: string; detail?: string };
  if (signUp.status !== 201 || !created.tenantId) {
    throw new Error(`POST /tenants answered ${signUp.status}: ${created.detail ?? JSON.stringify(created)}`);
  }

  const password = generatedPassword();
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: input.userPoolId,
      Username: input.adminEmail,
      Password: password,
      Permanent: true,
    }),
  );
  const { AuthenticationResult } = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: input.userPoolId,
      ClientId: input.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: input.adminEmail, PASSWORD: password },
    }),
  );
  const accessToken = AuthenticationResult?.AccessToken;
  if (!accessToken) throw new Error('Cognito signed the admin in without an access token');

  const meResponse = await fetchImpl(`${api}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  const me: unknown = await meResponse.json();
  if (meResponse.status !== 200)
    throw new Error(`GET /me answered ${meResponse.status}: ${JSON.stringify(me)}`);
  return { tenantId: created.tenantId, adminEmail: input.adminEmail, password, accessToken, me };
}
