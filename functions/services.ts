/**
 * Every service of the platform. The CDK app and the sandbox both iterate over this list, so a
 * service added here is deployed and served offline alike.
 */
import { billingService } from './billing/service.js';
import { catalogService } from './catalog/service.js';
import { identityService } from './identity/service.js';
import { notificationsService } from './notifications/service.js';
import { ordersService } from './orders/service.js';
import { platformService } from './platform/service.js';
import { reportingService } from './reporting/service.js';
import type { ServiceDefinition } from './shared/service-definition.js';

export const services: readonly ServiceDefinition[] = [
  platformService,
  identityService,
  catalogService,
  ordersService,
  billingService,
  notificationsService,
  reportingService,
];
