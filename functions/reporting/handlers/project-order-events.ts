import { eventConsumer } from '../../shared/event-consumer.js';
import { reporting } from '../composition.js';
import type { ProjectedEvent } from '../domain/reporting-use-cases.js';
import { projectedEvents } from '../service.js';

export const handler = eventConsumer({
  contracts: projectedEvents,
  // The contracts validated the detail, so its data has the shape its detail type names.
  handle: (event) => reporting.project(event as ProjectedEvent),
});
