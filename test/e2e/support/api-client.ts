/**
 * Black-box HTTP helpers for the e2e tier. The base URL is the sandbox started by global setup, or
 * E2E_BASE_URL (LocalStack, AWS); tokens come from E2E_TOKEN_URL (the sandbox's /_dev/token).
 */
import { randomUUID } from 'node:crypto';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tier through jest (global setup) or set it`);
  return value;
}

export const baseUrl = (): string => required('E2E_BASE_URL');

export type Role = 'admin' | 'member';

export interface Identity {
  tenantId: string;
  sub: string;
  token: string;
}

/**
 * A token for any caller by its claims, or for a user the identity service created, by email (the
 * sandbox's issuer then signs that user in as Cognito would).
 */
export async function mintToken(
  claims: { sub: string; tenantId: string; roles: Role[]; expiresInSeconds?: number } | { email: string },
): Promise<string> {
  const response = await fetch(required('E2E_TOKEN_URL'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  const { access_token: accessToken } = (await response.json()) as { access_token: string };
  return accessToken;
}

/** A fresh tenant per test file keeps files independent while they share one sandbox. */
export async function newIdentity(role: Role, tenantId = `t-${randomUUID()}`): Promise<Identity> {
  const sub = `u-${randomUUID()}`;
  return { tenantId, sub, token: await mintToken({ sub, tenantId, roles: [role] }) };
}

/** A polite client waits as long as a 429's Retry-After says; past this, the test sees the 429. */
const maxRateLimitedRetries = 5;

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export type Caller = <T = Record<string, unknown>>(
  method: string,
  path: string,
  options?: CallOptions,
) => Promise<ApiResponse<T>>;

/** Calls the API under test (the global sandbox, or E2E_BASE_URL). */
export const call: Caller = (method, path, options = {}) => callAt(baseUrl(), method, path, options);

/** Calls a sandbox a test started for itself (another payment gateway, injected faults). */
export const callerFor =
  (url: string): Caller =>
  (method, path, options = {}) =>
    callAt(url, method, path, options);

async function callAt<T>(
  url: string,
  method: string,
  path: string,
  options: CallOptions,
): Promise<ApiResponse<T>> {
  for (let retry = 0; ; retry += 1) {
    const response = await callOnce<T>(url, method, path, options);
    if (response.status !== 429 || retry === maxRateLimitedRetries) return response;
    const seconds = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, seconds) * 1000));
  }
}

async function callOnce<T>(
  url: string,
  method: string,
  path: string,
  options: CallOptions,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** Decoded JWT payload, to read what a token carries without trusting it. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
