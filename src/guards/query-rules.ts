/**
 * Validation-time limits (depth, aliases, directives, static cost) through graphql-armor, and the
 * token limit graphql-js's own parser enforces, both reported as GRAPHQL_VALIDATION_FAILED with
 * `extensions.limit`.
 */
import { GraphQLError, type GraphQLFormattedError, type ValidationContext, type ValidationRule } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { LimitName, QueryLimits } from './limits.js';

/**
 * Validation rules for the limits. Each refusal is reported to the validation context, so Apollo
 * answers HTTP 400 with code GRAPHQL_VALIDATION_FAILED, `extensions.limit` naming the limit and a
 * message naming the variable that raises it. armor's own report would say "Syntax Error", which
 * it is not.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
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
    // Tokens: graphql-js's parser limit (see tokenLimitError); armor's version throws from a plugin
    // hook, which Apollo answers as a 500. Suggestions: Apollo's hideSchemaDetailsFromClientErrors.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  // Only the rules: armor's other settings (stack traces, batching) are server.ts's to decide.
  return [...armor.protect().validationRules];
}

// graphql-js 16 spells it "more that"; accept the fixed spelling too.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/**
 * graphql-js stops parsing past `maxTokens` and Apollo reports GRAPHQL_PARSE_FAILED; a refused
 * limit reads the same as the other limits instead: GRAPHQL_VALIDATION_FAILED with `limit`.
 * Any other error passes through unchanged.
 */
export function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const match = TOKEN_LIMIT_MESSAGE.exec(formatted.message);
  if (match === null || formatted.extensions?.['code'] !== 'GRAPHQL_PARSE_FAILED') return formatted;
  return {
    message: `Query rejected: the document has more than ${match[1] ?? '?'} tokens (limit set by GRAPHQL_MAX_TOKENS).`,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxTokens' satisfies LimitName },
  };
}

