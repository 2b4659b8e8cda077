import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import Stripe from 'stripe';

export interface StripeClientSettings {
  /** The Secrets Manager secret (name or ARN) whose string is Stripe's secret key. */
  secretId: string;
  /** Each request's own limit, below the function's timeout so a slow call fails as unavailable. */
  timeoutMs: number;
  /** Offline only: the local fake of Stripe's API (`http://127.0.0.1:<port>`). */
  endpoint?: string;
}

/**
 * Stripe's client, its secret key read from Secrets Manager when the function starts (never from
 * an environment variable or a log line). The read begins at cold start and is awaited by the
 * first call; one that failed is tried again by the next call instead of failing them all.
 */
export function stripeClientFromSecret(settings: StripeClientSettings): () => Promise<Stripe> {
  const endpoint = settings.endpoint ? new URL(settings.endpoint) : undefined;
  const load = async () => {
    const secretKey = await getSecret(settings.secretId);
    if (typeof secretKey !== 'string' || secretKey === '') {
      throw new Error(`Secret ${settings.secretId} holds no Stripe secret key`);
    }
    return new Stripe(secretKey, {
      timeout: settings.timeoutMs,
      // The saga retries with backoff; one quick retry here covers a dropped connection.
      maxNetworkRetries: 1,
      telemetry: false,
      ...(endpoint
        ? {
            host: endpoint.hostname,
            port: Number(endpoint.port),
            protocol: endpoint.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
  };
  let client: Promise<Stripe> | undefined = load();
  // Awaited by the first call; until then a rejection must not end the process.
  client.catch(() => undefined);
  return () => {
    client ??= load();
    return client.catch((error: unknown) => {
      client = undefined;
      throw error;
    });
  };
}
