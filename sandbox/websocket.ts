/**
 * API Gateway's WebSocket API, offline: `ws://127.0.0.1:<PORT>/ws?token=...` runs the declared
 * REQUEST authorizer (401 and no connection when it refuses), then the `$connect` handler (whose
 * non-2xx answer refuses the handshake with that status, as API Gateway does), and on close the
 * `$disconnect` handler, each with the authorizer's context, as deployed. It also answers
 * the management API the pusher calls (`POST` and `DELETE /@connections/{id}`, 410 GoneException
 * for a closed connection), so the same SDK code pushes offline.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { type WebSocket, WebSocketServer } from 'ws';
import { lambdaContext } from './lambda-context.js';

export type RequestAuthorizer = (
  event: APIGatewayRequestAuthorizerEvent,
) => Promise<APIGatewayAuthorizerResult>;
/** `$connect` / `$disconnect` integrations: the event is the WebSocket proxy event's essentials. */
export type WebSocketRouteHandler = (
  event: unknown,
  context: ReturnType<typeof lambdaContext>,
) => Promise<unknown>;

export const webSocketPath = '/ws';
const apiId = 'sandbox-ws';
const stage = 'local';

export interface SandboxWebSocketApi {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Serves `/@connections/{id}`; returns false for any other path. */
  handleManagementRequest(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  close(): void;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createWebSocketApi(handlers: {
  authorizer: RequestAuthorizer;
  connect: WebSocketRouteHandler;
  disconnect: WebSocketRouteHandler;
  onError: (error: unknown) => void;
}): SandboxWebSocketApi {
  const server = new WebSocketServer({ noServer: true });
  const sockets = new Map<string, WebSocket>();

  const routeEvent = (routeKey: string, connectionId: string, authorizer: Record<string, unknown>) => ({
    requestContext: {
      routeKey,
      eventType: routeKey === '$connect' ? 'CONNECT' : 'DISCONNECT',
      connectionId,
      apiId,
      stage,
      domainName: '127.0.0.1',
      requestId: randomBytes(8).toString('hex'),
      requestTimeEpoch: Date.now(),
      authorizer,
    },
    isBase64Encoded: false,
  });

  return {
    async handleUpgrade(request, socket, head) {
      // A client may reset the connection mid-handshake: that ends its socket, never the sandbox.
      socket.on('error', () => socket.destroy());
      const url = new URL(request.url ?? '/', 'http://sandbox');
      if (url.pathname !== webSocketPath) return refuse(socket, 404, 'Not Found');
      const queryStringParameters = Object.fromEntries(url.searchParams.entries());
      let context: Record<string, unknown>;
      try {
        const result = await handlers.authorizer({
          type: 'REQUEST',
          methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/${stage}/$connect`,
          resource: '$connect',
          path: webSocketPath,
          httpMethod: 'GET',
          headers: {},
          multiValueHeaders: {},
          pathParameters: {},
          queryStringParameters,
          multiValueQueryStringParameters: {},
          stageVariables: {},
          requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
        });
        context = { ...result.context, principalId: result.principalId };
      } catch {
        return refuse(socket, 401, 'Unauthorized');
      }
      // API Gateway's connection ids are short base64 strings such as "L0SM9cOFvHcCIhw=".
      const connectionId = randomBytes(10).toString('base64');
      try {
        const result = await handlers.connect(
          routeEvent('$connect', connectionId, context),
          lambdaContext('ws-connect', connectionId),
        );
        const status = (result as { statusCode?: unknown } | undefined)?.statusCode;
        if (typeof status === 'number' && (status < 200 || status > 299)) {
          return refuse(socket, status, status === 429 ? 'Too Many Requests' : 'Forbidden');
        }
      } catch (error) {
        handlers.onError(error);
        return refuse(socket, 500, 'Internal Server Error');
      }
      if (socket.destroyed) return;
      server.handleUpgrade(request, socket, head, (webSocket) => {
        webSocket.on('error', () => webSocket.terminate());
        sockets.set(connectionId, webSocket);
        webSocket.on('close', () => {
          sockets.delete(connectionId);
          handlers
            .disconnect(
              routeEvent('$disconnect', connectionId, context),
              lambdaContext('ws-disconnect', connectionId),
            )
            .catch(handlers.onError);
        });
      });
    },

    async handleManagementRequest(request, response) {
      const match = /^\/@connections\/([^/?]+)$/.exec(request.url ?? '');
      if (!match?.[1]) return false;
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const webSocket = sockets.get(decodeURIComponent(match[1]));
      if (!webSocket || webSocket.readyState !== webSocket.OPEN) {
        response.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' });
        response.end(JSON.stringify({ message: 'GoneException' }));
        return true;
      }
      if (request.method === 'POST') webSocket.send(Buffer.concat(chunks).toString('utf8'));
      if (request.method === 'DELETE') webSocket.close();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
      return true;
    },

    close() {
      for (const webSocket of sockets.values()) webSocket.terminate();
      server.close();
    },
  };
}
