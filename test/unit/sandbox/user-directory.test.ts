import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { createLocalUserDirectory, UnknownUserError } from '../../../sandbox/user-directory.js';

describe("the sandbox's user directory", () => {
  it('keeps one user per email, case-insensitively, and returns the existing one unchanged', () => {
    const directory = createLocalUserDirectory({});

    const first = directory.createUser({ email: 'Ada@Example.com', tenantId: 't-1', role: 'admin' });
    const second = directory.createUser({ email: 'ada@example.com', tenantId: 't-2', role: 'member' });

    expect(first.created).toBe(true);
    expect(second).toEqual({ user: first.user, created: false });
    expect(first.user).toMatchObject({ email: 'ada@example.com', tenantId: 't-1', role: 'admin' });
  });

  it('signs a user in through the pre-token-generation trigger: first as the new-password challenge, then as authentication', async () => {
    const events: PreTokenGenerationV2TriggerEvent[] = [];
    const directory = createLocalUserDirectory({
      trigger: async (event) => {
        events.push(structuredClone(event));
        return {
          ...event,
          response: {
            claimsAndScopeOverrideDetails: {
              accessTokenGeneration: {
                claimsToAddOrOverride: {
                  tenant_id: event.request.userAttributes['custom:tenant_id'] as string,
                },
              },
            },
          },
        };
      },
    });
    const { user } = directory.createUser({ email: 'ada@example.com', tenantId: 't-1', role: 'admin' });

    const first = await directory.signIn('ADA@example.com');
    await directory.signIn('ada@example.com');

    expect(first).toEqual({ sub: user.userId, tenantId: 't-1', roles: ['admin'] });
    expect(events.map((event) => event.triggerSource)).toEqual([
      'TokenGeneration_NewPasswordChallenge',
      'TokenGeneration_Authentication',
    ]);
    expect(events[0]?.request.userAttributes).toMatchObject({ sub: user.userId, 'custom:tenant_id': 't-1' });
  });

  it('refuses to sign in when the trigger adds no tenant, as the authorizer would refuse the token', async () => {
    const directory = createLocalUserDirectory({ trigger: async (event) => event });
    directory.createUser({ email: 'ada@example.com', tenantId: 't-1', role: 'admin' });

    await expect(directory.signIn('ada@example.com')).rejects.toThrow(/added no tenant_id/);
  });

  it('refuses an unknown email', async () => {
    await expect(createLocalUserDirectory({}).signIn('nobody@example.com')).rejects.toThrow(UnknownUserError);
  });

  it('keeps its users and their sign-in state across restarts when the sandbox persists its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'user-directory-'));
    const before = createLocalUserDirectory({ dataDir });
    const { user } = before.createUser({ email: 'ada@example.com', tenantId: 't-1', role: 'admin' });
    await before.signIn('ada@example.com');

    const after = createLocalUserDirectory({ dataDir });

    expect(after.createUser({ email: 'ada@example.com', tenantId: 't-9', role: 'member' })).toEqual({
      user,
      created: false,
    });
    const events: string[] = [];
    const withTrigger = createLocalUserDirectory({
      dataDir,
      trigger: async (event) => {
        events.push(event.triggerSource);
        return {
          ...event,
          response: {
            claimsAndScopeOverrideDetails: {
              accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: 't-1' } },
            },
          },
        };
      },
    });
    await withTrigger.signIn('ada@example.com');
    expect(events).toEqual(['TokenGeneration_Authentication']);
  });
});
