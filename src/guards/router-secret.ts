/** The router's shared secret: with one configured, /graphql answers only requests that carry it. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { graphqlErrorBody } from './request-errors.js';

export const ROUTER_SECRET_HEADER = 'x-router-secret';

/** Constant time: both sides hashed first, and compared even with no header (absence is no faster than a guess). */
export function routerSecretMatcher(secret: string): (given: string | string[] | undefined) => boolean {
  const expected = createHash('sha256').update(secret).digest();
  return (given) => {
    const actual = createHash('sha256').update(typeof given === 'string' ? given : '').digest();
    return timingSafeEqual(actual, expected) && typeof given === 'string';
  };
}

/** Answers 401 (JSON, no GraphQL executed, `_service` and `_entities` included) without the secret. */
export function routerSecretGuard(secret: string): RequestHandler {
  const matches = routerSecretMatcher(secret);
  const refusal = graphqlErrorBody(
    'UNAUTHENTICATED',
    `This subgraph answers only its router: the ${ROUTER_SECRET_HEADER} header is missing or wrong.`,
  );
  return (req, res, next) => {
    if (matches(req.headers[ROUTER_SECRET_HEADER])) next();
    else res.status(401).json(refusal);
  };
}
