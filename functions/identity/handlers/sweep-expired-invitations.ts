/**
 * The invitation sweep, run every hour: an invitation not accepted within INVITATION_TTL_DAYS is
 * removed as an admin's removal would be (membership, directory user, UserRemoved), which frees
 * its email for another sign-up or invitation.
 */
import { randomUUID } from 'node:crypto';
import { instrumented } from '../../shared/instrumented.js';
import { correlate, logger } from '../../shared/powertools.js';
import { identity } from '../composition.js';

export const handler = instrumented<unknown, { removed: number }>().handler(async () => {
  const correlationId = randomUUID();
  correlate(correlationId);
  const removed = await identity.sweepExpiredInvitations(correlationId);
  if (removed > 0) logger.info('expired invitations removed', { removed });
  return { removed };
});
