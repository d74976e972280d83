/**
 * Validation-time limits through graphql-armor, and the token limit graphql-js's own parser
 * enforces, both reported as HTTP 400 GRAPHQL_VALIDATION_FAILED with `extensions.limit` and a message
 * naming the variable that raises the limit.
 */
import { GraphQLError, type GraphQLFormattedError, type ValidationContext, type ValidationRule } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { LimitName, QueryLimits } from './limits.js';

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  // armor's own report would say "Syntax Error", which it is not.
  const reporter =
    (limit: LimitName, variable: string) =>
    (context: ValidationContext | null, error: GraphQLError): void => {
      context?.reportError(
        new GraphQLError(`Query rejected: ${error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '')} (limit set by ${variable}).`, {
          extensions: { limit },
        }),
      );
    };
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  const armor = new ApolloArmor({
    maxDepth: { ...common, n: limits.depth, onReject: [reporter('maxDepth', 'GRAPHQL_MAX_DEPTH')] },
    // Every alias counts, `__typename` too (armor lets those through by default): each is an output position.
    maxAliases: { ...common, n: limits.aliases, allowList: [], onReject: [reporter('maxAliases', 'GRAPHQL_MAX_ALIASES')] },
    maxDirectives: { ...common, n: limits.directives, onReject: [reporter('maxDirectives', 'GRAPHQL_MAX_DIRECTIVES')] },
    costLimit: { ...common, maxCost: limits.cost, onReject: [reporter('maxCost', 'GRAPHQL_MAX_COST')] },
    // armor's token limit throws from a plugin hook, which Apollo answers as a 500 (see tokenLimitError);
    // suggestions are Apollo's hideSchemaDetailsFromClientErrors.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  // Only the rules: armor's other settings (stack traces, batching) are server.ts's to decide.
  return [...armor.protect().validationRules];
}

// graphql-js 16 spells it "more that"; accept the fixed spelling too.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** graphql-js's own token limit (GRAPHQL_PARSE_FAILED) reported as the other limits are; other errors pass. */
export function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const match = TOKEN_LIMIT_MESSAGE.exec(formatted.message);
  if (match === null || formatted.extensions?.['code'] !== 'GRAPHQL_PARSE_FAILED') return formatted;
  return {
    message: `Query rejected: the document has more than ${match[1] ?? '?'} tokens (limit set by GRAPHQL_MAX_TOKENS).`,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxTokens' satisfies LimitName },
  };
}
