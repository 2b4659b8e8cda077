/**
 * The sandbox trusting an external OIDC issuer (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URI,
 * AUTH_PROFILE), here a certified OIDC server (`oidc-provider`) on loopback issuing RFC 9068
 * access tokens: the REST and WebSocket authorizers accept its tokens exactly as deployed, and only
 * its tokens. Offline only: it starts a sandbox and an issuer of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateKeyPair, SignJWT } from 'jose';
import WebSocket from 'ws';
import { externalClient } from '../support/external-issuer-client.js';
import { type SpawnedSandbox, spawnSandbox } from '../support/spawn-sandbox.js';

const describeOffline = process.env.E2E_OFFLINE ? describe : describe.skip;
const repositoryRoot = join(__dirname, '..', '..');
const audience = 'urn:serverless-saas:api';

let issuerProcess: ChildProcess | undefined;
let external: { issuer: string; jwksUri: string; tokenEndpoint: string };
let sandbox: SpawnedSandbox | undefined;

async function startExternalIssuer(): Promise<typeof external> {
  issuerProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/external-issuer.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, EXTERNAL_AUDIENCE: audience, EXTERNAL_TENANT_ID: 'acme', EXTERNAL_ROLES: 'admin' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: issuerProcess.stdout as NodeJS.ReadableStream });
  for await (const line of lines) return JSON.parse(line) as typeof external;
  throw new Error('the external issuer printed nothing');
}

async function externalToken(): Promise<string> {
  const response = await fetch(external.tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${externalClient.id}:${externalClient.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
  });
  if (response.status !== 200) throw new Error(`the external issuer answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

const call = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${sandbox?.url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as object) },
  });

function webSocketStatus(token: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(
      `${sandbox?.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`,
    );
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => resolve(0));
  });
}

describeOffline('a sandbox trusting an external OIDC issuer', () => {
  beforeAll(async () => {
    external = await startExternalIssuer();
    sandbox = await spawnSandbox(repositoryRoot, {
      AUTH_ISSUER: external.issuer,
      AUTH_AUDIENCE: audience,
      AUTH_JWKS_URI: external.jwksUri,
      AUTH_PROFILE: 'oidc',
    });
  }, 90_000);

  afterAll(async () => {
    await sandbox?.stop();
    issuerProcess?.kill();
  });

  it('names the trusted issuer in its banner', () => {
    expect(sandbox?.output()).toContain(`trusts ${external.issuer} only (oidc tokens`);
  });

  it("accepts the issuer's access tokens on REST and WebSocket, with the caller they name", async () => {
    const token = await externalToken();

    const me = await call('/me', token);
    const products = await call('/products', token);

    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ userId: externalClient.id, tenantId: 'acme', roles: ['admin'] });
    expect(products.status).toBe(200);
    expect(await webSocketStatus(token)).toBe(101);
  });

  it("refuses any other issuer's token, and mints none of its own", async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ tenant_id: 'acme', roles: ['admin'], client_id: externalClient.id })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'external-1' })
      .setIssuer(external.issuer)
      .setAudience(audience)
      .setSubject(externalClient.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    const refused = await call('/me', forged);
    const localToken = await call('/_dev/token', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'u1', tenantId: 'acme', roles: ['admin'] }),
    });

    expect(refused.status).toBe(401);
    expect(localToken.status).toBe(409);
    expect(await webSocketStatus(forged)).toBe(401);
  });

  it('manages no users itself: sign-up answers 501', async () => {
    const signUp = await call('/tenants', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme', adminEmail: 'ada@example.com' }),
    });

    expect(signUp.status).toBe(501);
  });
});
