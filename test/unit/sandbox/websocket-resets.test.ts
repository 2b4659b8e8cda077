/**
 * A client that drops while connecting: its socket is reset (TCP RST) at each stage of the
 * handshake, one at a time and fifty at once, and the sandbox keeps serving handshakes after it.
 */
import { createServer, type Server } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import WebSocket from 'ws';
import { createWebSocketApi } from '../../../sandbox/websocket.js';

let server: Server;
let port: number;
let connects = 0;
const errors: unknown[] = [];

beforeAll(async () => {
  const api = createWebSocketApi({
    // Slow enough that a reset lands while the handshake waits on the authorizer.
    authorizer: async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return {
        principalId: 'u1',
        policyDocument: { Version: '2012-10-17', Statement: [] },
        context: { tenantId: 't1', sub: 'u1', roles: 'member' },
      };
    },
    connect: async () => {
      connects += 1;
      return { statusCode: 200 };
    },
    disconnect: async () => ({ statusCode: 200 }),
    onError: (error) => errors.push(error),
  });
  server = createServer();
  server.on('upgrade', (request, socket, head) => void api.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const handshake = (path = '/ws?token=t') =>
  [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');

/** Sends `sent` of the handshake, waits `afterMs`, then resets the connection. */
function resetAfter(sent: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.write(sent);
      setTimeout(() => {
        socket.resetAndDestroy();
        resolve();
      }, afterMs);
    });
    socket.on('error', () => resolve());
  });
}

async function stillServes(): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=t`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.close();
}

const stages: [string, string, number][] = [
  ['before the request line ends', 'GET /ws?tok', 10],
  ['with the headers half sent', handshake().slice(0, 60), 10],
  ['while the authorizer runs', handshake(), 10],
  ['just after the authorizer answered', handshake(), 60],
];

describe('the sandbox WebSocket API under client resets', () => {
  it.each(stages)('survives a reset %s', async (_, sent, afterMs) => {
    await resetAfter(sent, afterMs);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await expect(stillServes()).resolves.toBeUndefined();
  });

  it('survives fifty resets at once, at every stage', async () => {
    const before = connects;

    await Promise.all(
      Array.from({ length: 50 }, (_, index) => {
        const [, sent, afterMs] = stages[index % stages.length] as [string, string, number];
        return resetAfter(sent, afterMs);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));

    await expect(stillServes()).resolves.toBeUndefined();
    expect(connects).toBeGreaterThan(before);
  });
});
