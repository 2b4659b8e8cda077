import * as z from 'zod/mini';
import { defineEvent } from '../envelope.js';

/** A tenant signed up: the tenant and its first admin exist (the admin is invited, not yet signed in). */
export const tenantCreated = defineEvent({
  source: 'saas.identity',
  detailType: 'TenantCreated',
  version: 1,
  data: z.strictObject({
    tenantId: z.string(),
    name: z.string(),
    adminUserId: z.string(),
    createdAt: z.iso.datetime(),
  }),
  sample: {
    tenantId: '01JD0000000000000000000010',
    name: 'Acme Shop',
    adminUserId: '8a4b2c1d-0000-4000-8000-000000000001',
    createdAt: '2026-11-23T10:00:00.000Z',
  },
});
