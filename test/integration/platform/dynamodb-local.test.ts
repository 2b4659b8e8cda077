import { listeningAddresses } from '../../support/listening-addresses.js';

describe('DynamoDB Local as the sandbox starts it', () => {
  it('listens on loopback only', () => {
    const port = Number(new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '').port);

    const addresses = listeningAddresses(port);

    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((address) => address === '127.0.0.1')).toBe(true);
  });
});
