import * as z from 'zod/mini';
import { roles } from '../../functions/shared/service-definition.js';
import { defineEvent } from '../envelope.js';

/** A user was added to a tenant and sent an invitation: the first admin at sign-up, or by an admin. */
export const userInvited = defineEvent({
  source: 'saas.identity',
  detailType: 'UserInvited',
  version: 1,
  data: z.strictObject({
    userId: z.string(),
    email: z.string(),
    role: z.enum(roles),
    /** The admin who invited the user; absent for the first admin, who signed the tenant up. */
    invitedBy: z.optional(z.string()),
    createdAt: z.iso.datetime(),
  }),
  sample: {
    userId: '8a4b2c1d-0000-4000-8000-000000000002',
    email: 'ada@example.com',
    role: 'member',
    invitedBy: '8a4b2c1d-0000-4000-8000-000000000001',
    createdAt: '2026-11-23T10:05:00.000Z',
  },
});
