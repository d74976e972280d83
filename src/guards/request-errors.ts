/**
 * Errors Express raises before GraphQL runs (body over the limit, unreadable JSON, unsupported
 * charset) as GraphQL-shaped JSON; never Express's HTML page, which carries a stack trace outside
 * production. Anything unexpected is logged and answered 500 without detail.
 */
import type { ErrorRequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger.js';

/** A refusal made before GraphQL runs, shaped as a GraphQL client expects any error. */
export function graphqlErrorBody(code: string, message: string): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
}

export function requestErrorHandler(options: {
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // Read, not spread: http-errors keeps `status` on the prototype.
    const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
    const { type, status, statusCode } = fields;
    const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 0;
    if (type === 'entity.too.large') {
      const message = `The request body is larger than ${String(options.maxBodyBytes)} bytes (limit set by MAX_BODY_BYTES).`;
      res.status(413).json(graphqlErrorBody('PAYLOAD_TOO_LARGE', message));
    } else if (type === 'entity.parse.failed') {
      res.status(400).json(graphqlErrorBody('BAD_REQUEST', 'The request body is not valid JSON.'));
    } else if (code >= 400 && code < 500) {
      res.status(code).json(graphqlErrorBody('BAD_REQUEST', 'The request could not be read.'));
    } else {
      options.logger.error({ errName: error instanceof Error ? error.name : typeof error }, 'request failed before GraphQL');
      res.status(500).json(graphqlErrorBody('INTERNAL_SERVER_ERROR', 'Internal error'));
    }
  };
}
