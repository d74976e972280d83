/**
 * Small HTTP helpers. Handlers return a Reply instead of writing to the response themselves, so
 * the router can record the call before the first byte leaves: a test that awaits the answer
 * and then counts calls must never race the bookkeeping.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './wire.js';

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** null: no body (204, 416, HEAD). */
  readonly body: string | Buffer | null;
}

/** A JSON answer with CXone's content type. */
export function json(status: number, body: Json | object, headers: Readonly<Record<string, string>> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * CXone's error body: `{internalCode, message}` with the status repeated as a string, and the
 * message again in the `icStatusDescription` header, where some CXone APIs put it.
 */
export function apiError(status: number, message: string, headers: Readonly<Record<string, string>> = {}): Reply {
  return json(status, { internalCode: String(status), message }, { icStatusDescription: message.replace(/[^\x20-\x7e]/g, ' '), ...headers });
}

/** Writes a Reply; HEAD gets the headers (with the GET length) and no body. */
export function send(res: ServerResponse, reply: Reply, method: string): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== null && headers['content-length'] === undefined) {
    headers['content-length'] = String(Buffer.byteLength(reply.body));
  }
  if (reply.body === null && headers['content-length'] === undefined) headers['content-length'] = '0';
  res.writeHead(reply.status, headers);
  if (method === 'HEAD' || reply.body === null) res.end();
  else res.end(reply.body);
}

/** The request body as text, refusing anything larger than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Real-time wait for latency and lock holds; never used for expiry, which follows the Clock. */
export function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The first value of each query parameter, as recorded in the call log. */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/** One request header as a single string (Node gives arrays for repeated ones). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
