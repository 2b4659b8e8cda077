/**
 * Cognito's pre-token-generation trigger (V2 event, so it can change access tokens): copies the
 * user's immutable `custom:tenant_id` into the `tenant_id` claim of the access and ID tokens, and
 * marks the membership ACTIVE when the user signs in. The sandbox's issuer runs this same handler
 * when it signs a user in, so offline tokens get their tenant the way Cognito's do.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { tenantClaim } from '../../shared/auth/token-profiles.js';
import { instrumented } from '../../shared/instrumented.js';
import { logger } from '../../shared/powertools.js';
import { tenantAttribute } from '../adapters/cognito-user-directory.js';
import { identity } from '../composition.js';

/** Sign-ins (the first one answers the invitation's new-password challenge); refreshes are not. */
const signInSources = new Set(['TokenGeneration_NewPasswordChallenge', 'TokenGeneration_Authentication']);

export const handler = instrumented<
  PreTokenGenerationV2TriggerEvent,
  PreTokenGenerationV2TriggerEvent
>().handler(async (event) => {
  const { sub: userId, [tenantAttribute]: tenantId } = event.request.userAttributes;
  // A token without a tenant would be refused by every route: better no sign-in at all.
  if (!userId || !tenantId) throw new Error('The user has no tenant; no tokens are issued.');
  logger.appendKeys({ tenantId, userId });
  const claims = { [tenantClaim]: tenantId };
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { claimsToAddOrOverride: claims },
      idTokenGeneration: { claimsToAddOrOverride: claims },
    },
  };
  if (signInSources.has(event.triggerSource)) {
    // Best effort: the status is informational, and a sign-in must not fail on it.
    await identity.activateUser(tenantId, userId).catch((error: unknown) => {
      logger.warn('could not mark the user active', error instanceof Error ? error : String(error));
    });
  }
  return event;
});
