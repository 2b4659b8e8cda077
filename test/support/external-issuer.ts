/**
 * A certified OIDC server (`oidc-provider`) on loopback, standing in for an external issuer such
 * as Keycloak or any RFC 9068 one: a confidential client gets JWT access tokens (RS256, header
 * `typ: at+jwt`, audience the API) carrying `tenant_id` and `roles`, by the client-credentials
 * grant. Run as its own process (`tsx test/support/external-issuer.ts`); it prints its issuer
 * and jwks_uri as one JSON line, then serves until killed.
 *
 * Environment: EXTERNAL_AUDIENCE (default urn:serverless-saas:api: resource indicators are absolute URIs), EXTERNAL_TENANT_ID, EXTERNAL_ROLES
 * (comma-separated) for the claims every token carries.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { externalClient } from './external-issuer-client.js';

const audience = process.env.EXTERNAL_AUDIENCE ?? 'urn:serverless-saas:api';
const tenantId = process.env.EXTERNAL_TENANT_ID ?? 'external-tenant';
const roles = (process.env.EXTERNAL_ROLES ?? 'admin').split(',');

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'external-1', alg: 'RS256', use: 'sig' };

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: externalClient.id,
      client_secret: externalClient.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    },
  ],
  jwks: { keys: [signingKey] },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        audience,
        scope: 'api',
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: () => ({ tenant_id: tenantId, roles }),
});
server.on('request', provider.callback());

console.log(JSON.stringify({ issuer, jwksUri: `${issuer}/jwks`, tokenEndpoint: `${issuer}/token` }));
