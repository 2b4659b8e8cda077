import {
  type TestProviderBooks,
  type TestProviderCharge,
  testPaymentGateway,
} from '../../../functions/billing/adapters/test-payment-gateway.js';

function inMemoryBooks(): TestProviderBooks {
  const attempts = new Map<string, number>();
  const charges = new Map<string, TestProviderCharge>();
  return {
    async countAttempt(tenantId, orderId) {
      const key = `${tenantId}/${orderId}`;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      return attempts.get(key) as number;
    },
    async capture(tenantId, orderId, charge) {
      const key = `${tenantId}/${orderId}`;
      if (!charges.has(key)) charges.set(key, { ...charge, refunded: false });
      return charges.get(key) as TestProviderCharge;
    },
    async markRefunded(tenantId, orderId) {
      const held = charges.get(`${tenantId}/${orderId}`);
      if (held) held.refunded = true;
    },
    async find(tenantId, orderId) {
      return charges.get(`${tenantId}/${orderId}`);
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
    await expect(testPaymentGateway(inMemoryBooks()).charge(charge('tok_ok'))).resolves.toEqual({
      outcome: 'captured',
      providerPaymentId: 'test_o1',
    });
  });

  it.each(['tok_declined', 'tok_unknown', ''])('declines %p', async (token) => {
    await expect(testPaymentGateway(inMemoryBooks()).charge(charge(token))).resolves.toEqual({
      outcome: 'declined',
    });
  });

  it('is unavailable for tok_down on every attempt', async () => {
    const gateway = testPaymentGateway(inMemoryBooks());

    await expect(gateway.charge(charge('tok_down'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
    await expect(gateway.charge(charge('tok_down'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
  });

  it('fails tok_flaky on the first attempt per order, then captures', async () => {
    const gateway = testPaymentGateway(inMemoryBooks());

    await expect(gateway.charge(charge('tok_flaky', 'a'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
    await expect(gateway.charge(charge('tok_flaky', 'a'))).resolves.toMatchObject({ outcome: 'captured' });
    await expect(gateway.charge(charge('tok_flaky', 'b'))).rejects.toMatchObject({
      name: 'PaymentUnavailableError',
    });
  });

  it('keeps one capture per order however often it is charged, and finds it until refunded', async () => {
    const gateway = testPaymentGateway(inMemoryBooks());

    const first = await gateway.charge(charge('tok_ok', 'c'));
    const again = await gateway.charge({ ...charge('tok_ok', 'c'), amountCents: 999 });

    expect(again).toEqual(first);
    await expect(gateway.findCapture({ tenantId: 't1', orderId: 'c' })).resolves.toEqual({
      providerPaymentId: 'test_c',
      amountCents: 500,
      currency: 'EUR',
    });
    await gateway.refund({
      tenantId: 't1',
      orderId: 'c',
      providerPaymentId: 'test_c',
      amountCents: 500,
      currency: 'EUR',
    });
    await expect(gateway.findCapture({ tenantId: 't1', orderId: 'c' })).resolves.toBeUndefined();
  });

  it('finds nothing for an order it never captured', async () => {
    await expect(
      testPaymentGateway(inMemoryBooks()).findCapture({ tenantId: 't1', orderId: 'x' }),
    ).resolves.toBeUndefined();
  });
});
