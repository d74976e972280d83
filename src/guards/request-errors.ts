/**
 * JSON errors for bodies Express refuses (too large, not JSON) instead of its HTML page.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { graphqlErrorBody } from './error-body.js';

/**
 * Errors Express raises before GraphQL runs (body over the limit, unreadable JSON, unsupported
 * charset) as GraphQL-shaped JSON with a clear message; never Express's HTML page, which carries a
 * stack trace outside production. Anything unexpected is logged and answered 500 without detail.
 */
export function requestErrorHandler(options: { readonly maxBodyBytes: number; readonly logger: Logger }): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const type = stringField(error, 'type');
    const status = numberField(error, 'status') ?? numberField(error, 'statusCode');
    if (type === 'entity.too.large') {
      res
        .status(413)
        .json(
          graphqlErrorBody(
            'PAYLOAD_TOO_LARGE',
            `The request body is larger than ${String(options.maxBodyBytes)} bytes (limit set by MAX_BODY_BYTES).`,
          ),
        );
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json(graphqlErrorBody('BAD_REQUEST', 'The request body is not valid JSON.'));
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      res.status(status).json(graphqlErrorBody('BAD_REQUEST', 'The request could not be read.'));
      return;
    }
    options.logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'request failed before GraphQL');
    res.status(500).json(graphqlErrorBody('INTERNAL_SERVER_ERROR', 'Internal error'));
  };
}


function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field: unknown = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

function numberField(value: unknown, name: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field: unknown = (value as Record<string, unknown>)[name];
  return typeof field === 'number' ? field : undefined;
}

