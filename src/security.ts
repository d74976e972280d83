/**
 * Defences against hostile callers, kept out of server.ts so each is visible and tested on its own:
 * query limits (depth, aliases, directives, cost via graphql-armor; tokens via graphql-js's own
 * parser limit), the router's shared secret, and JSON errors for bodies Express refuses (too large,
 * not JSON) instead of its HTML page with a stack trace.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  GraphQLError,
  Kind,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { estimateCost } from './demand.js';
import { badUserInput, type AppError } from './errors.js';
import type { Logger } from './logger.js';
import type { QueryLimits } from './limits.js';
import { isPromiseLike } from './promise-like.js';

export { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.js';

/** The `extensions.limit` of a refused operation; clients can branch on it. */
export type LimitName =
  | 'maxDepth'
  | 'maxAliases'
  | 'maxDirectives'
  | 'maxCost'
  | 'maxTokens'
  | 'maxEstimatedCost'
  | 'maxRepresentations'
  | 'maxResponseBytes';

/**
 * Refuses an operation whose demand-control estimate is over the limit. It runs once the
 * operation is known and before execution (validation rules never see variables, and list sizes
 * mostly come from variables): nothing has been loaded, no upstream call made. HTTP 400 and
 * GRAPHQL_VALIDATION_FAILED, like every other limit.
 */
export function demandControl<TContext extends BaseContext>(limits: QueryLimits): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, operation, request }) => {
          if (operation === undefined) return Promise.resolve();
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const { cost, listSizes } = estimateCost(schema, operation, fragments, request.variables ?? {}, {
            assumedListSize: limits.assumedListSize,
          });
          if (cost > limits.estimatedCost) {
            throw new GraphQLError(
            `Query rejected: its estimated cost is ${cost.toLocaleString('en-US')}, over the limit of ${limits.estimatedCost.toLocaleString('en-US')} (limit set by GRAPHQL_MAX_ESTIMATED_COST). Ask for fewer ids at once, or fewer nested lists.`,
            {
              extensions: {
                code: 'GRAPHQL_VALIDATION_FAILED',
                limit: 'maxEstimatedCost' satisfies LimitName,
                estimatedCost: cost,
                maxEstimatedCost: limits.estimatedCost,
                http: { status: 400 },
              },
            },
          );
          }
          const representations = listSizes.get('Query._entities') ?? 0;
          if (representations > limits.representations) {
            throw new GraphQLError(
              `Query rejected: _entities has ${String(representations)} representations, over the limit of ${String(limits.representations)} (limit set by GRAPHQL_MAX_REPRESENTATIONS).`,
              { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxRepresentations' satisfies LimitName, http: { status: 400 } } },
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

/**
 * Apollo's `stringifyResult` with a bound: a response whose JSON would pass `maxBytes` is replaced
 * by one error (`RESPONSE_TOO_LARGE`, `extensions.limit`), so no caller receives, and no proxy
 * buffers, more than the limit. The demand-control limit keeps execution itself bounded; this is
 * the backstop for what the estimate cannot see (long transcripts, many segments).
 */
export function boundedStringify(maxBytes: number): (result: FormattedExecutionResult) => string {
  return (result) => {
    const text = JSON.stringify(result);
    // UTF-16 length <= UTF-8 bytes <= 3 x length: count bytes only when it can matter.
    if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
    return JSON.stringify({
      errors: [
        {
          message: `The response would be larger than ${String(maxBytes)} bytes (limit set by MAX_RESPONSE_BYTES). Ask for fewer ids or fields at once.`,
          extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'maxResponseBytes' satisfies LimitName },
        },
      ],
      data: null,
    });
  };
}

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
    maxAliases: { ...common, n: limits.aliases, onReject: [reporter('maxAliases', 'GRAPHQL_MAX_ALIASES')] },
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

/** The router's shared-secret header. */
export const ROUTER_SECRET_HEADER = 'x-router-secret';

/**
 * With a secret configured, answers 401 (JSON, no GraphQL executed, `_service` and `_entities`
 * included) unless the request carries it in `x-router-secret`. Both sides are hashed first so
 * the comparison takes the same time whatever the length or content of the guess.
 */
export function routerSecretGuard(secret: string): RequestHandler {
  const expected = createHash('sha256').update(secret).digest();
  return (req, res, next) => {
    const given = req.headers[ROUTER_SECRET_HEADER];
    const actual = createHash('sha256')
      .update(typeof given === 'string' ? given : '')
      .digest();
    // timingSafeEqual always runs, even with no header, so absence is not faster than a wrong guess.
    if (timingSafeEqual(actual, expected) && typeof given === 'string') {
      next();
      return;
    }
    res
      .status(401)
      .json(
        graphqlErrorBody(
          'UNAUTHENTICATED',
          `This subgraph answers only its router: the ${ROUTER_SECRET_HEADER} header is missing or wrong.`,
        ),
      );
  };
}

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

function graphqlErrorBody(code: string, message: string): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
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

/** Entity types of this subgraph and their key fields (schema.graphql's `@key`s). */
const ENTITY_KEYS: Readonly<Record<string, readonly string[]>> = Object.freeze({ Contact: ['acdContactId'] });

/**
 * Checks every `_entities` representation before @apollo/subgraph sees it: one that is not an
 * object, names no entity type of ours, or lacks a key field gets BAD_USER_INPUT in its own slot
 * (the subgraph library would fail the whole batch, or crash on it, as INTERNAL_SERVER_ERROR).
 * A key that is present but null, empty or not a string is left to the field that needs it
 * (`Contact.recording` answers null with BAD_USER_INPUT), so the rest of the entity still resolves.
 */
export function guardEntityRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const field = query?.getFields()['_entities'];
  if (field === undefined) return schema;
  const resolve = field.resolve;
  if (resolve === undefined) return schema;
  field.resolve = (source, args: Record<string, unknown>, context, info) => {
    const given = args['representations'];
    if (!Array.isArray(given)) return resolve(source, args, context, info) as unknown;
    const problems: Array<AppError | null> = given.map((representation: unknown, index) => representationProblem(representation, index));
    if (problems.every((problem) => problem === null)) return resolve(source, args, context, info) as unknown;
    const valid = given.filter((_representation: unknown, index) => problems[index] === null);
    const resolved: unknown = valid.length === 0 ? [] : resolve(source, { ...args, representations: valid }, context, info);
    const merge = (values: unknown): unknown[] => {
      const results = Array.isArray(values) ? values : [];
      let next = 0;
      return problems.map((problem) => problem ?? (results[next++] as unknown));
    };
    return isPromiseLike(resolved) ? Promise.resolve(resolved).then(merge) : merge(resolved);
  };
  return schema;
}

function representationProblem(representation: unknown, index: number): AppError | null {
  const name = `representations[${String(index)}]`;
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return badUserInput(`${name} must be an object with __typename and its key fields.`, 'representations');
  }
  const typename: unknown = (representation as Record<string, unknown>)['__typename'];
  if (typeof typename !== 'string') return badUserInput(`${name} has no __typename.`, 'representations');
  const keys = Object.hasOwn(ENTITY_KEYS, typename) ? ENTITY_KEYS[typename] : undefined;
  if (keys === undefined) return badUserInput(`${name}: this subgraph resolves no entity of that type.`, 'representations');
  for (const key of keys) {
    if (!Object.hasOwn(representation, key)) return badUserInput(`${name} lacks its key field ${key}.`, 'representations');
    const value: unknown = (representation as Record<string, unknown>)[key];
    if (typeof value === 'object' && value !== null) {
      return badUserInput(`${name}: ${key} must be a string.`, 'representations');
    }
  }
  return null;
}

