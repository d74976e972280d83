import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function toIso(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 timestamp');
  }
  return date.toISOString();
}

/**
 * What `Date.prototype.toISOString` writes. The mapping stores every time in this form, so on the
 * way out such a string is already the answer (no Date round trip per field, per response).
 */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO-8601 UTC with milliseconds on the way out; any ISO-8601 timestamp on the way in. */
export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (typeof value === 'string' && CANONICAL_ISO.test(value) ? value : toIso(value)),
  parseValue: toIso,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return toIso(ast.value);
  },
});
