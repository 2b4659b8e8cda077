/**
 * A local fake of the part of Stripe's HTTP API that billing's Stripe adapter calls, for tests and
 * the sandbox's `SANDBOX_PAYMENT_GATEWAY=stripe`: PaymentIntents (create, confirm, retrieve with
 * `latest_charge` expanded) and refunds, form-encoded as Stripe's SDK sends them, with Stripe's
 * idempotency (a key replays its first answer; the same key with other parameters is refused),
 * bearer authentication by secret key, and Stripe's own test payment methods:
 *
 * - `pm_card_visa`: succeeds;
 * - `pm_card_chargeDeclined`: declined (`card_declined`);
 * - `pm_card_authenticationRequired`: needs the buyer, so off-session it fails (`authentication_required`);
 * - `pm_fake_requiresAction` (the fake's own; Stripe answers off-session cards with an error
 *   instead): confirmation answers 200 with the intent left `requires_action`;
 * - any other id: no such payment method (`resource_missing`).
 *
 * An intent can be cancelled until it has succeeded.
 *
 * `failNext(n)` answers the next n requests with 503, as Stripe does when it cannot serve; with a
 * path pattern, the next n requests to a matching path only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  refunded: boolean;
}

interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled';
  metadata: Record<string, string>;
  latest_charge: string | null;
}

interface Reply {
  status: number;
  body: unknown;
}

export interface StripeFake {
  /** `http://127.0.0.1:<port>`: the adapter's endpoint. */
  endpoint: string;
  secretKey: string;
  /** What the fake's books hold: every intent, with its charge, by id. */
  intents(): (PaymentIntent & { charge?: Charge })[];
  /** Requests that moved money or changed an intent (idempotent replays excluded). */
  readonly counts: {
    intentsCreated: number;
    confirmations: number;
    cancellations: number;
    refunds: number;
    replays: number;
  };
  failNext(requests: number, path?: RegExp): void;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

const stripeError = (status: number, error: Record<string, unknown>): Reply => ({ status, body: { error } });
const invalidRequest = (status: number, error: Record<string, unknown>): Reply =>
  stripeError(status, { type: 'invalid_request_error', ...error });

/** Stripe's form encoding: `metadata[order_id]=o1` becomes `{ metadata: { order_id: 'o1' } }`. */
function parseForm(text: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const [name, nested] = key.match(/^([^[]+)(?:\[([^\]]*)\])?/)?.slice(1) ?? [key];
    if (name === undefined) continue;
    if (nested === undefined) params[name] = value;
    else params[name] = { ...(params[name] as Record<string, string> | undefined), [nested]: value };
  }
  return params;
}

export async function startStripeFake(
  secretKey = `sk_test_${randomBytes(8).toString('hex')}`,
): Promise<StripeFake> {
  const intents = new Map<string, PaymentIntent>();
  const charges = new Map<string, Charge>();
  const idempotent = new Map<string, { fingerprint: string; reply: Reply }>();
  const counts = { intentsCreated: 0, confirmations: 0, cancellations: 0, refunds: 0, replays: 0 };
  let failures = 0;
  let failingPath: RegExp | undefined;

  const view = (intent: PaymentIntent, expand: string[]) => ({
    ...intent,
    latest_charge:
      expand.includes('latest_charge') && intent.latest_charge
        ? (charges.get(intent.latest_charge) ?? null)
        : intent.latest_charge,
  });

  function createIntent(params: Record<string, unknown>): Reply {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 0 || typeof params.currency !== 'string') {
      return invalidRequest(400, {
        code: 'parameter_missing',
        message: 'amount and currency are required',
      });
    }
    const intent: PaymentIntent = {
      id: id('pi'),
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: params.currency,
      status: 'requires_payment_method',
      metadata: (params.metadata ?? {}) as Record<string, string>,
      latest_charge: null,
    };
    intents.set(intent.id, intent);
    counts.intentsCreated += 1;
    return { status: 200, body: intent };
  }

  function confirmIntent(intentId: string, params: Record<string, unknown>): Reply {
    const intent = intents.get(intentId);
    if (!intent) return noSuchIntent(intentId);
    if (intent.status === 'succeeded' || intent.status === 'canceled') return unexpectedState(intent);
    counts.confirmations += 1;
    const declined = (code: string, message: string) =>
      stripeError(402, {
        type: 'card_error',
        code,
        decline_code: code === 'card_declined' ? 'generic_decline' : undefined,
        message,
        payment_intent: intent,
      });
    switch (params.payment_method) {
      case 'pm_card_visa': {
        const charge: Charge = {
          id: id('ch'),
          object: 'charge',
          amount: intent.amount,
          amount_refunded: 0,
          refunded: false,
        };
        charges.set(charge.id, charge);
        Object.assign(intent, {
          status: 'succeeded',
          amount_received: intent.amount,
          latest_charge: charge.id,
        });
        return { status: 200, body: intent };
      }
      case 'pm_fake_requiresAction':
        intent.status = 'requires_action';
        return { status: 200, body: intent };
      case 'pm_card_chargeDeclined':
        return declined('card_declined', 'Your card was declined.');
      case 'pm_card_authenticationRequired':
        return params.off_session === 'true'
          ? declined('authentication_required', 'This payment requires authentication.')
          : invalidRequest(400, {
              message: 'The fake supports off-session confirmation only.',
            });
      default:
        return invalidRequest(400, {
          code: 'resource_missing',
          param: 'payment_method',
          message: `No such PaymentMethod: '${String(params.payment_method)}'`,
        });
    }
  }

  function noSuchIntent(intentId: string): Reply {
    return invalidRequest(404, {
      code: 'resource_missing',
      param: 'intent',
      message: `No such payment_intent: '${intentId}'`,
    });
  }

  function unexpectedState(intent: PaymentIntent): Reply {
    return invalidRequest(400, {
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent's status is ${intent.status}.`,
    });
  }

  function cancelIntent(intentId: string): Reply {
    const intent = intents.get(intentId);
    if (!intent) return noSuchIntent(intentId);
    if (intent.status === 'succeeded' || intent.status === 'canceled') return unexpectedState(intent);
    intent.status = 'canceled';
    counts.cancellations += 1;
    return { status: 200, body: intent };
  }

  function refund(params: Record<string, unknown>): Reply {
    const intent = intents.get(String(params.payment_intent));
    const charge = intent?.latest_charge ? charges.get(intent.latest_charge) : undefined;
    if (!intent || !charge) {
      return invalidRequest(400, {
        code: 'resource_missing',
        param: 'payment_intent',
        message: 'No charge to refund.',
      });
    }
    if (charge.refunded) {
      return invalidRequest(400, {
        code: 'charge_already_refunded',
        message: 'Charge has already been refunded.',
      });
    }
    const amount =
      params.amount === undefined ? charge.amount - charge.amount_refunded : Number(params.amount);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
    counts.refunds += 1;
    return {
      status: 200,
      body: { id: id('re'), object: 'refund', amount, payment_intent: intent.id, status: 'succeeded' },
    };
  }

  function route(method: string, url: URL, params: Record<string, unknown>): Reply {
    const expand = [...url.searchParams]
      .filter(([key]) => key.startsWith('expand'))
      .map(([, value]) => value);
    const confirm = url.pathname.match(/^\/v1\/payment_intents\/([^/]+)\/confirm$/);
    const cancel = url.pathname.match(/^\/v1\/payment_intents\/([^/]+)\/cancel$/);
    const retrieve = url.pathname.match(/^\/v1\/payment_intents\/([^/]+)$/);
    if (method === 'POST' && url.pathname === '/v1/payment_intents') return createIntent(params);
    if (method === 'POST' && confirm?.[1]) return confirmIntent(confirm[1], params);
    if (method === 'POST' && cancel?.[1]) return cancelIntent(cancel[1]);
    if (method === 'GET' && retrieve?.[1]) {
      const intent = intents.get(retrieve[1]);
      return intent ? { status: 200, body: view(intent, expand) } : noSuchIntent(retrieve[1]);
    }
    if (method === 'POST' && url.pathname === '/v1/refunds') return refund(params);
    return invalidRequest(404, {
      message: `Unrecognized request URL (${method}: ${url.pathname})`,
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    let text = '';
    for await (const chunk of request) text += chunk;
    const send = ({ status, body }: Reply, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
      response.end(JSON.stringify(body));
    };
    if (failures > 0 && (!failingPath || failingPath.test(request.url ?? ''))) {
      failures -= 1;
      send(stripeError(503, { type: 'api_error', message: 'The fake is unavailable (failNext).' }));
      return;
    }
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      send(invalidRequest(401, { message: 'Invalid API Key provided.' }));
      return;
    }
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://stripe.fake');
    const params = parseForm(text);
    const key = request.headers['idempotency-key'];
    if (method !== 'POST' || typeof key !== 'string') {
      send(route(method, url, params));
      return;
    }
    const fingerprint = createHash('sha256').update(`${url.pathname}\n${text}`).digest('hex');
    const earlier = idempotent.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        send(
          stripeError(400, {
            type: 'idempotency_error',
            message:
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          }),
        );
        return;
      }
      counts.replays += 1;
      send(earlier.reply, { 'idempotent-replayed': 'true' });
      return;
    }
    const reply = route(method, url, params);
    // Stripe stores the result of a request that executed, errors included, but not a 5xx.
    if (reply.status < 500) idempotent.set(key, { fingerprint, reply });
    send(reply);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    secretKey,
    intents: () =>
      [...intents.values()].map((intent) => {
        const charge = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
        return { ...intent, ...(charge ? { charge: { ...charge } } : {}) };
      }),
    counts,
    failNext(requests, path) {
      failures = requests;
      failingPath = path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
