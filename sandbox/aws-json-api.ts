/**
 * The AWS JSON protocol as the sandbox's stand-ins speak it: the SDK clients POST a JSON body
 * naming the operation in `X-Amz-Target`, and read a JSON answer or an error `__type`. Each
 * stand-in (bus, state machine, queue) serves its one operation through here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface AwsJsonReply {
  status: number;
  body: unknown;
}

/** An error answer the SDK turns into an exception named `type`. */
export const awsJsonError = (type: string, message: string): AwsJsonReply => ({
  status: 400,
  body: { __type: type, message },
});

export async function serveAwsJsonOperation<Request>(
  request: IncomingMessage,
  response: ServerResponse,
  operation: {
    /** `X-Amz-Target`, e.g. `AWSEvents.PutEvents`. */
    target: string;
    /** The protocol version the service uses: 1.0 or 1.1. */
    version: '1.0' | '1.1';
    handle: (body: Request) => AwsJsonReply | Promise<AwsJsonReply>;
  },
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = request.headers['x-amz-target'];
  const reply =
    target === operation.target
      ? await operation.handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request)
      : awsJsonError(
          'UnknownOperationException',
          `The sandbox serves ${operation.target} only, not ${target}`,
        );
  response.writeHead(reply.status, { 'content-type': `application/x-amz-json-${operation.version}` });
  response.end(JSON.stringify(reply.body));
}
