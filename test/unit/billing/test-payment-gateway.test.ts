import { testPaymentGateway } from '../../../functions/billing/adapters/test-payment-gateway.js';
import type { ChargeAttemptCounter } from '../../../functions/billing/domain/billing-port.js';

function inMemoryCounter(): ChargeAttemptCounter {
  const attempts = new Map<string, number>();
  return {
    async increment(tenantId, orderId) {
      const key = `${tenantId}/${orderId}`;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      return attempts.get(key) as number;
    },
  };
}

const charge = (paymentToken: string, orderId = 'o1') => ({
  tenantId: 't1',
  orderId,
  amountCents: 500,
  currency: 'EUR',
  paymentToken,
});

describe('test payment gateway', () => {
  it('captures tok_ok', async () => {
    await expect(testPaymentGateway(inMemoryCounter()).charge(charge('tok_ok'))).resolves.toEqual({
      outcome: 'captured',
      providerPaymentId: 'test_o1',
    });
  });

  it.each(['tok_declined', 'tok_unknown', ''])('declines %p', async (token) => {
    await expect(testPaymentGateway(inMemoryCounter()).charge(charge(token))).resolves.toEqual({
      outcome: 'declined',
    });
  });

  it('is unavailable for tok_down on every attempt', async () => {
    const gateway = testPaymentGateway(inMemoryCounter());

    await expect(gateway.charge(charge('tok_down'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
    await expect(gateway.charge(charge('tok_down'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
  });

  it('fails tok_flaky on the first attempt per order, then captures', async () => {
    const gateway = testPaymentGateway(inMemoryCounter());

    await expect(gateway.charge(charge('tok_flaky', 'a'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
    await expect(gateway.charge(charge('tok_flaky', 'a'))).resolves.toMatchObject({ outcome: 'captured' });
    await expect(gateway.charge(charge('tok_flaky', 'b'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
  });
});
