/**
 * An EventBridge bus in-process: it speaks the PutEvents API over HTTP (the handlers' real SDK
 * client is pointed at it with AWS_ENDPOINT_URL_EVENTBRIDGE), matches each event against the
 * stack's own rules with EventBridge's pattern semantics, and delivers to the targets
 * asynchronously with retries and a dead-letter list, as a rule with a retry policy and DLQ does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import type { EventPattern } from '../functions/shared/service-definition.js';
import { serveAwsJsonOperation } from './aws-json-api.js';
import { compileEventPattern } from './event-pattern.js';
import type { FaultInjector } from './faults.js';

export type BusEvent = EventBridgeEvent<string, unknown>;

export interface BusRule {
  name: string;
  eventPattern: EventPattern;
  deliver(event: BusEvent): Promise<void>;
}

export interface DeadLetter {
  rule: string;
  event: BusEvent;
  error: string;
}

export interface EventBus {
  putEvents(entries: readonly PutEventsRequestEntry[]): PutEventsResultEntry[];
  /** Serves `AWSEvents.PutEvents` (AWS JSON 1.1), the one bus API the handlers call. */
  handleApiRequest(request: IncomingMessage, response: ServerResponse): Promise<void>;
  readonly deadLetters: readonly DeadLetter[];
  /** Entries accepted since the bus started. */
  readonly accepted: number;
  /** Resolves once no delivery is in flight (tests and benchmarks wait on it). */
  idle(): Promise<void>;
}

export interface EventBusOptions {
  busName: string;
  rules: readonly BusRule[];
  maxRetries?: number;
  retryDelayMs?: number;
  onDeadLetter?: (deadLetter: DeadLetter) => void;
  /** Called for every event the bus accepts and routes. */
  onAccepted?: (event: BusEvent) => void;
  /** Fails a fraction of entries: before routing them, or after (the caller sees a failure it will resend). */
  faults?: FaultInjector;
}

const injectedFailure = { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected fault (SANDBOX_FAULTS)' };

const region = 'us-east-1';
const account = '000000000000';

export function createEventBus(options: EventBusOptions): EventBus {
  const { busName, rules, maxRetries = 3, retryDelayMs = 200 } = options;
  const compiledRules = rules.map((rule) => ({
    rule,
    matches: compileEventPattern(JSON.stringify(rule.eventPattern)),
  }));
  const deadLetters: DeadLetter[] = [];
  const inFlight = new Set<Promise<void>>();
  let accepted = 0;

  async function deliverWithRetries(rule: BusRule, event: BusEvent): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await rule.deliver(event);
        return;
      } catch (error) {
        if (attempt >= maxRetries) {
          const deadLetter = {
            rule: rule.name,
            event,
            error: error instanceof Error ? error.message : String(error),
          };
          deadLetters.push(deadLetter);
          options.onDeadLetter?.(deadLetter);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** attempt));
      }
    }
  }

  function track(delivery: Promise<void>): void {
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  function putEvents(entries: readonly PutEventsRequestEntry[]): PutEventsResultEntry[] {
    return entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail) {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
      }
      if (entry.EventBusName && entry.EventBusName !== busName) {
        return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `No bus ${entry.EventBusName}` };
      }
      const fault = options.faults?.draw('putEvents');
      if (fault === 'before') return injectedFailure;
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account,
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region,
        resources: entry.Resources ?? [],
        detail,
      };
      // Matched on the event as JSON, as EventBridge sees it (Date and undefined values serialised away).
      const asJson: unknown = JSON.parse(JSON.stringify(event));
      for (const { rule, matches } of compiledRules) {
        if (matches(asJson)) track(deliverWithRetries(rule, event));
      }
      accepted += 1;
      options.onAccepted?.(event);
      return fault === 'after' ? injectedFailure : { EventId: event.id };
    });
  }

  return {
    putEvents,
    deadLetters,
    get accepted() {
      return accepted;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    handleApiRequest(request, response) {
      return serveAwsJsonOperation<{ Entries?: (Omit<PutEventsRequestEntry, 'Time'> & { Time?: number })[] }>(
        request,
        response,
        {
          target: 'AWSEvents.PutEvents',
          version: '1.1',
          handle: ({ Entries = [] }) => {
            const results = putEvents(
              Entries.map(({ Time, ...entry }) => ({
                ...entry,
                ...(Time === undefined ? {} : { Time: new Date(Time * 1000) }),
              })),
            );
            return {
              status: 200,
              body: {
                FailedEntryCount: results.filter((result) => result.ErrorCode).length,
                Entries: results,
              },
            };
          },
        },
      );
    },
  };
}
