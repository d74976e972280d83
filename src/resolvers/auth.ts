import type { GraphQLContext } from '../context.js';

/**
 * Fields that answer without an upstream call still need a caller: a request without a bearer
 * token, or with one that failed verification, gets its refusal (UNAUTHENTICATED), never data.
 */
export function requireCaller(ctx: GraphQLContext): void {
  if (!ctx.access.accepted) throw ctx.access.error;
}
