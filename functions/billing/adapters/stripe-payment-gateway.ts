/**
 * Stripe PaymentIntents as billing's payment provider. A charge creates a PaymentIntent for the
 * order's total, remembers its id, then confirms it off-session with the token as its payment
 * method. Stripe's idempotency key is derived from (orderId, step), so a retried charge or refund
 * gets Stripe's first answer instead of moving money twice. Because the intent's id is kept before
 * any money moves, a capture billing never recorded is found again by id (Stripe's search would
 * find it only after up to a minute).
 *
 * Intents take cards only: a card charge succeeds or fails while the saga waits, where a bank
 * debit can stay `processing` for days and capture after its order was cancelled. An intent the
 * confirmation leaves in any other state is cancelled before the charge counts as declined, so it
 * can never capture later.
 */
import Stripe from 'stripe';
import {
  type CapturedCharge,
  type ChargeOutcome,
  type PaymentGateway,
  PaymentUnavailableError,
} from '../domain/payment-gateway.js';

export type StripeStep = 'create' | 'confirm' | 'cancel' | 'refund';

/** Where the adapter keeps each order's PaymentIntent id (billing's table). */
export interface StripeIntentBooks {
  /** Keeps the order's intent id unless it has one; returns the one kept. */
  remember(tenantId: string, orderId: string, intentId: string): Promise<string>;
  find(tenantId: string, orderId: string): Promise<string | undefined>;
}

/** One key per order and step: Stripe replays the first result of a key for 24 hours. */
export const stripeIdempotencyKey = (orderId: string, step: StripeStep): string =>
  `serverless-saas-${orderId}-${step}`;

/** Errors retrying later can cure: the saga retries them as PaymentUnavailableError. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    // A request with the same idempotency key is still being processed.
    (error instanceof Stripe.errors.StripeError && error.statusCode === 409)
  );
}

function unavailable(error: unknown): never {
  if (isTransient(error)) {
    throw new PaymentUnavailableError(`Stripe did not answer: ${(error as Error).message}`);
  }
  throw error;
}

/** `client` resolves once the secret key has been read (see stripe-client.ts). */
export function stripePaymentGateway(
  client: () => Promise<Stripe>,
  books: StripeIntentBooks,
): PaymentGateway {
  return {
    async charge(request): Promise<ChargeOutcome> {
      const stripe = await client();
      try {
        const created = await stripe.paymentIntents.create(
          {
            amount: request.amountCents,
            currency: request.currency.toLowerCase(),
            allowed_payment_method_types: ['card'],
            metadata: { tenant_id: request.tenantId, order_id: request.orderId },
          },
          { idempotencyKey: stripeIdempotencyKey(request.orderId, 'create') },
        );
        const intentId = await books.remember(request.tenantId, request.orderId, created.id);
        const intent = await stripe.paymentIntents.confirm(
          intentId,
          // The saga charges with no buyer present: a payment that needs one (3-D Secure, a
          // redirect) fails as a card error instead of waiting.
          { payment_method: request.paymentToken, off_session: true },
          { idempotencyKey: stripeIdempotencyKey(request.orderId, 'confirm') },
        );
        if (intent.status === 'succeeded') return { outcome: 'captured', providerPaymentId: intent.id };
        // A failed cancellation (the intent moved on meanwhile) is not a decline: the task fails, and
        // the saga retries it or compensates, refunding whatever the kept intent captured.
        await stripe.paymentIntents.cancel(
          intent.id,
          {},
          { idempotencyKey: stripeIdempotencyKey(request.orderId, 'cancel') },
        );
        return { outcome: 'declined' };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) return { outcome: 'declined' };
        // A token Stripe does not know is a payment method the buyer cannot pay with.
        if (
          error instanceof Stripe.errors.StripeInvalidRequestError &&
          error.code === 'resource_missing' &&
          error.param === 'payment_method'
        ) {
          return { outcome: 'declined' };
        }
        return unavailable(error);
      }
    },

    async refund({ orderId, providerPaymentId, amountCents }) {
      const stripe = await client();
      try {
        await stripe.refunds.create(
          { payment_intent: providerPaymentId, amount: amountCents },
          { idempotencyKey: stripeIdempotencyKey(orderId, 'refund') },
        );
      } catch (error) {
        if (
          error instanceof Stripe.errors.StripeInvalidRequestError &&
          error.code === 'charge_already_refunded'
        ) {
          return;
        }
        unavailable(error);
      }
    },

    async findCapture({ tenantId, orderId }): Promise<CapturedCharge | undefined> {
      const intentId = await books.find(tenantId, orderId);
      if (!intentId) return undefined;
      const stripe = await client();
      try {
        const intent = await stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] });
        const charge = intent.latest_charge;
        if (intent.status !== 'succeeded' || (typeof charge === 'object' && charge?.refunded)) {
          return undefined;
        }
        return {
          providerPaymentId: intent.id,
          amountCents: intent.amount_received,
          currency: intent.currency.toUpperCase(),
        };
      } catch (error) {
        return unavailable(error);
      }
    },
  };
}
