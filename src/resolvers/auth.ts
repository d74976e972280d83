import { CxoneError } from '../cxone/errors.js';
import type { GraphQLContext } from '../context.js';

/**
 * Fields that answer without an upstream call still need a caller: in forward mode a request
 * without a bearer token gets UNAUTHENTICATED, never data.
 */
export function requireCaller(ctx: GraphQLContext): void {
  if (ctx.caller.mode === 'forward' && ctx.caller.token === null) {
    throw new CxoneError('no credentials', { kind: 'no-credentials', resource: { kind: 'auth' } });
  }
}
