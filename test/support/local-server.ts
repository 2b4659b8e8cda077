import { createServer, type RequestListener, type Server } from 'node:http';

/** Serves `listener` on a free loopback port; returns its URL and how to close it. */
export async function localServer(
  listener: RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
