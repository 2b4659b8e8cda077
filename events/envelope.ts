/**
 * The envelope every domain event carries as its EventBridge `detail`, and the typed contract each
 * event declares in `events/<service>/<event-name>.ts`. Publishers and consumers validate against
 * the same schema.
 *
 * @example
 * export const productCreated = defineEvent({ source: 'saas.catalog', detailType: 'ProductCreated', version: 1, data, sample });
 */
import * as z from 'zod/mini';

export const eventMetadataSchema = z.strictObject({
  eventId: z.string().check(z.minLength(1)),
  eventVersion: z.int().check(z.gte(1)),
  tenantId: z.string().check(z.minLength(1)),
  correlationId: z.string().check(z.minLength(1)),
  occurredAt: z.iso.datetime(),
});

export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export interface EventContract<Data> {
  source: `saas.${string}`;
  detailType: string;
  version: number;
  data: z.ZodMiniType<Data>;
  /** A valid payload, used by tests and the event catalog. */
  sample: Data;
}

export interface EventDetail<Data> {
  metadata: EventMetadata;
  data: Data;
}

/** `Data` comes from the schema alone, so the sample is checked against it and never widens it. */
export function defineEvent<Data>(
  contract: Omit<EventContract<Data>, 'sample'> & { sample: NoInfer<Data> },
): EventContract<Data> {
  return contract;
}

export function detailSchema<Data>(contract: EventContract<Data>): z.ZodMiniType<EventDetail<Data>> {
  return z.strictObject({ metadata: eventMetadataSchema, data: contract.data }) as z.ZodMiniType<
    EventDetail<Data>
  >;
}
