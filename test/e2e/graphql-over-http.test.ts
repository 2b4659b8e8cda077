/**
 * GraphQL over HTTP as its specification says it, checked by `graphql-http`'s server audit (the
 * specification's reference audit suite) against the running API with a member's token: every
 * MUST passes. The SHOULD and MAY audits are listed when they warn, and need not pass.
 */

import { getIntrospectionQuery } from 'graphql';
import { serverAudits } from 'graphql-http';
import { baseUrl, call, newIdentity } from './support/api-client.js';

let token: string;

beforeAll(async () => {
  ({ token } = await newIdentity('member'));
});

const authenticatedFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

describe('GraphQL over HTTP', () => {
  const audits = serverAudits({ url: () => `${baseUrl()}/graphql`, fetchFn: authenticatedFetch });
  const mustAudits = audits.filter((audit) => audit.name.startsWith('MUST'));

  it('has MUST audits to run', () => {
    expect(mustAudits.length).toBeGreaterThan(10);
  });

  it.each(mustAudits.map((audit) => [audit.name, audit] as const))('%s', async (_, audit) => {
    const result = await audit.fn();

    expect(
      result.status === 'ok' ? 'ok' : `${result.status}: ${'reason' in result ? result.reason : ''}`,
    ).toBe('ok');
  });

  it('answers application/graphql-response+json to a client that asks for it, 4xx for a request error', async () => {
    const headers = { accept: 'application/graphql-response+json' };
    const executed = await call('POST', '/graphql', { token, headers, json: { query: '{ me { userId } }' } });
    const invalid = await call('POST', '/graphql', { token, headers, json: { query: '{ nothing }' } });

    expect([executed.status, invalid.status]).toEqual([200, 400]);
    for (const response of [executed, invalid]) {
      expect(response.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    }
  });

  it("answers graphql-js's standard introspection query, as GraphiQL and codegen send it", async () => {
    const response = await call<{ data?: { __schema?: unknown }; errors?: unknown }>('POST', '/graphql', {
      token,
      json: { query: getIntrospectionQuery() },
    });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.__schema).toBeDefined();
  });
});
