import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';

/**
 * A user left a tenant: an admin removed it, or its invitation expired unaccepted. Its membership
 * and its directory user are gone (the directory signed it out first); access tokens it already
 * holds stay valid until they expire.
 */
export const userRemoved = defineEvent({
  source: 'saas.identity',
  detailType: 'UserRemoved',
  version: 1,
  data: z.strictObject({
    userId: z.string(),
    email: z.string(),
    reason: z.enum(['REMOVED_BY_ADMIN', 'INVITATION_EXPIRED']),
    /** The admin who removed the user; absent when the invitation expired. */
    removedBy: z.optional(z.string()),
    removedAt: z.iso.datetime(),
  }),
  sample: {
    userId: '8a4b2c1d-0000-4000-8000-000000000002',
    email: 'ada@example.com',
    reason: 'REMOVED_BY_ADMIN',
    removedBy: '8a4b2c1d-0000-4000-8000-000000000001',
    removedAt: '2026-11-30T10:05:00.000Z',
  },
});
