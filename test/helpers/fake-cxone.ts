/**
 * A tiny scriptable CXone on a real node:http server (port 0, loopback). Every request is recorded;
 * answers come from a per-route script, each scripted reply served exactly once and in order.
 * `assertDone()` fails a test when a scripted reply was never asked for (an expected upstream call
 * did not happen) or a request arrived that no script allowed (an unexpected call did).
 * Not the project's simulator: this one knows nothing about CXone beyond what a test tells it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the fake saw it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Path and query exactly as sent. */
  readonly rawUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request arrived. */
  readonly at: number;
  /** Which TCP connection carried it (1, 2, ... in order of connection). */
  readonly connection: number;
}

/** What to answer. */
export type ReplySpec =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Sent as JSON with `content-type: application/json` unless headers say otherwise. */
      readonly json?: unknown;
      /** Sent as is (no content type unless given). */
      readonly text?: string;
      /** Wait before answering. */
      readonly delayMs?: number;
    }
  /** Send headers and half a body, then destroy the socket. */
  | { readonly dropMidBody: true }
  /** Destroy the socket without answering. */
  | { readonly dropBeforeHeaders: true };

/** A reply, or a function of the request that makes one. */
export type Reply = ReplySpec | ((request: RecordedRequest, fake: FakeCxone) => ReplySpec);

interface Route {
  readonly queue: Reply[];
  /** Served when the queue is empty (any number of times). */
  fallback: Reply | undefined;
}

/** The fake server. Start with `FakeCxone.start()`, close in `afterEach`. */
export class FakeCxone {
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Requests no script allowed (answered 418, which nothing retries). */
  readonly unexpected: RecordedRequest[] = [];
  /** TCP connections accepted so far. */
  connections = 0;
  private readonly routes = new Map<string, Route>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:{port}` */
    readonly url: string,
  ) {}

  /** Starts a fake on an ephemeral loopback port. */
  static async start(): Promise<FakeCxone> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address: AddressInfo | string | null = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake CXone: no TCP address');
    const fake = new FakeCxone(server, `http://127.0.0.1:${address.port}`);
    server.on('connection', (socket: Socket) => {
      fake.connections += 1;
      fake.connectionNumber.set(socket, fake.connections);
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void fake.handle(req, res);
    });
    return fake;
  }

  /** Scripts replies for `METHOD path`; each is served once, in order, after earlier ones. */
  on(method: string, path: string, ...replies: Reply[]): this {
    this.route(method, path).queue.push(...replies);
    return this;
  }

  /** Serves `reply` for `METHOD path` whenever its scripted replies are used up, any number of times. */
  always(method: string, path: string, reply: Reply): this {
    this.route(method, path).fallback = reply;
    return this;
  }

  /** Requests to `METHOD path` so far. */
  calls(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /** Throws unless every scripted reply was served and no unexpected request came. */
  assertDone(): void {
    const problems: string[] = [];
    for (const [key, route] of this.routes) {
      if (route.queue.length > 0) problems.push(`${route.queue.length} scripted repl(ies) for ${key} never requested`);
    }
    for (const request of this.unexpected) problems.push(`unexpected request ${request.method} ${request.rawUrl}`);
    if (problems.length > 0) throw new Error(`fake CXone: ${problems.join('; ')}`);
  }

  /** Stops listening and cuts open connections. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(method: string, path: string): Route {
    const key = `${method.toUpperCase()} ${path}`;
    let route = this.routes.get(key);
    if (route === undefined) {
      route = { queue: [], fallback: undefined };
      this.routes.set(key, route);
    }
    return route;
  }

  private readonly connectionNumber = new WeakMap<Socket, number>();

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const connection = this.connectionNumber.get(req.socket) ?? 0;
    const rawUrl = req.url ?? '/';
    const parsed = new URL(rawUrl, 'http://fake.invalid');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      rawUrl,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: performance.now(),
      connection,
    };
    this.requests.push(recorded);

    const route = this.routes.get(`${recorded.method} ${recorded.path}`);
    const reply = route?.queue.shift() ?? route?.fallback;
    if (reply === undefined) {
      this.unexpected.push(recorded);
      res.writeHead(418, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'unexpected request' }));
      return;
    }
    const spec = typeof reply === 'function' ? reply(recorded, this) : reply;
    await answer(res, spec);
  }
}

async function answer(res: ServerResponse, spec: ReplySpec): Promise<void> {
  if ('dropBeforeHeaders' in spec) {
    res.socket?.destroy();
    return;
  }
  if ('dropMidBody' in spec) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"interactions": [');
    // Let the partial answer reach the client before the connection dies.
    await new Promise((resolve) => setTimeout(resolve, 10));
    res.socket?.destroy();
    return;
  }
  if (spec.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
  const headers: Record<string, string> = { ...spec.headers };
  let body = '';
  if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
  } else if (spec.text !== undefined) {
    body = spec.text;
  }
  if (res.destroyed) return;
  res.writeHead(spec.status, headers).end(body);
}

/** A signed media link whose signature must never show up in logs or errors. */
export const MEDIA_URL = 'https://media.example.com/rec.mp4?X-Amz-Signature=sig-must-not-leak';

/** A minimal voice contact as CXone's /contacts answers it (lower-case `acdcontactId`, `@type`). */
export function voiceContact(acdContactId: string, mediaUrl = MEDIA_URL): unknown {
  return {
    contactId: 'c0ffee00-0000-4000-8000-000000000001',
    acdcontactId: acdContactId,
    elevatedInteraction: false,
    interactions: voiceInteractions(mediaUrl),
  };
}

function voiceInteractions(mediaUrl: string): unknown[] {
  return [
    {
      mediaType: 'voice-only',
      channelType: 'PHONE_CALL',
      startTime: '2024-03-05T10:00:00.000Z',
      endTime: '2024-03-05T10:05:00.000Z',
      '@type': 'call',
      data: {
        startTime: '2024-03-05T10:00:00.000Z',
        endTime: '2024-03-05T10:05:00.000Z',
        fileToPlayUrl: mediaUrl,
        participantDataList: [{ participantType: 'AGENT', agentName: 'Ann Agent', participantId: '1', userId: 'u1' }],
        segmentsDataList: [
          {
            segmentId: 'seg-1',
            startTime: '2024-03-05T10:00:00.000Z',
            endTime: '2024-03-05T10:05:00.000Z',
            directionType: 'INBOUND',
            channelType: 'PHONE_CALL',
            firstSegment: true,
          },
        ],
      },
      callTaggingList: null,
      dynamicBusinessData: null,
    },
  ];
}

/** A segments answer: CXone spells the list `Interactions` there. */
export function segmentAnswer(): unknown {
  return {
    contactId: 'c0ffee00-0000-4000-8000-000000000001',
    acdcontactId: '600000000001',
    Interactions: voiceInteractions(MEDIA_URL),
  };
}

/** A statement answer: only a link at the top level. */
export function statementAnswer(): unknown {
  return { fileToPlayUrl: MEDIA_URL };
}
