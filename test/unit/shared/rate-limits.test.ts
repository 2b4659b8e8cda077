import {
  admit,
  contractRateLimits,
  memoryRateLimiter,
  scaledRateLimits,
} from '../../../functions/shared/rate-limits.js';

const now = 1_000_000;

describe('admit (GCRA)', () => {
  const { user, sourceIp } = contractRateLimits;

  it('admits a fresh bucket and moves its arrival time one interval on', () => {
    expect(admit(undefined, now, user)).toEqual({ admitted: true, tat: now + 100 });
    // A bucket that rested long is as good as fresh: the past is not credit.
    expect(admit(now - 60_000, now, user)).toEqual({ admitted: true, tat: now + 100 });
  });

  it('admits the burst at once and refuses the next, with the wait rounded up to whole seconds', () => {
    let tat: number | undefined;
    for (let request = 1; request <= 20; request += 1) {
      const decision = admit(tat, now, user);
      if (!decision.admitted) throw new Error(`request ${request} refused`);
      tat = decision.tat;
    }
    expect(admit(tat, now, user)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(admit(tat, now + 100, user)).toMatchObject({ admitted: true });
  });

  it('says 12 s for the sixth sign-up of a minute and never 0', () => {
    const afterFive = now + 5 * 12_000;
    expect(admit(afterFive, now, sourceIp)).toEqual({ admitted: false, retryAfterSeconds: 12 });
    expect(admit(afterFive, now + 11_999, sourceIp)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(admit(afterFive, now + 12_000, sourceIp)).toMatchObject({ admitted: true });
  });
});

describe('memoryRateLimiter', () => {
  it('throttles each key on its own', () => {
    let clock = now;
    const stage = memoryRateLimiter({ requests: 2, perSeconds: 1, burst: 2 }, () => clock);

    expect([stage('a'), stage('a'), stage('a')].map((decision) => decision.admitted)).toEqual([
      true,
      true,
      false,
    ]);
    expect(stage('b').admitted).toBe(true);
    clock += 500;
    expect(stage('a').admitted).toBe(true);
  });
});

describe('scaledRateLimits', () => {
  it('multiplies rates and bursts, not periods', () => {
    expect(scaledRateLimits(contractRateLimits, 10).sourceIp).toEqual({
      requests: 50,
      perSeconds: 60,
      burst: 50,
    });
    expect(scaledRateLimits(contractRateLimits, 10).user).toEqual({
      requests: 100,
      perSeconds: 1,
      burst: 200,
    });
  });
});
