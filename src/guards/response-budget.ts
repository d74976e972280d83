/**
 * The response budget (docs/operations.md, "Size while executing"): positions are counted while
 * executing, and past `maxPositions` no further resolver runs. Bytes are bounded when serialising:
 * long strings (transcripts, e-mail bodies) are few positions and many bytes.
 */
import {
  GraphQLError,
  defaultFieldResolver,
  type FieldNode,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isCompositeType, isListType, isNonNullType, isObjectType, namedType, eachSelectedField } from './demand.js';
import type { LimitName } from './limits.js';
import { isPromiseLike } from '../promise-like.js';

function tooLarge(detail: string, variable: string, limit: LimitName): GraphQLFormattedError {
  return {
    message: `The response would be larger than ${detail} (limit set by ${variable}). Ask for fewer ids or fields at once.`,
    extensions: { code: 'RESPONSE_TOO_LARGE', limit },
  };
}

/** Whether `text` is over `maxBytes` in UTF-8. */
export function exceedsBytes(text: string, maxBytes: number): boolean {
  // UTF-16 length <= UTF-8 bytes <= 3 x length: count bytes only when it can matter.
  return text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes;
}

/** The answer that replaces a response over `maxBytes`. */
export function tooLargeAnswer(maxBytes: number): string {
  return JSON.stringify({ errors: [tooLarge(`${String(maxBytes)} bytes`, 'MAX_RESPONSE_BYTES', 'maxResponseBytes')], data: null });
}

/**
 * Thrown for a non-null composite field once the request has stopped; having a path, it is reported
 * once instead of once per field (the whole response is replaced anyway).
 */
const STOPPED = new GraphQLError('response budget spent', { path: [] });

interface Tally {
  positions: number;
  stopped: boolean;
}

/** `wrap` makes list and composite fields count what they produce; `plugin` keeps each request's count. */
export function positionBudget<TContext extends BaseContext>(
  maxPositions: number,
): { wrap(schema: GraphQLSchema): GraphQLSchema; readonly plugin: ApolloServerPlugin<TContext> } {
  // Per request, keyed by its context (made per request); entries go with their request.
  const tallies = new WeakMap<object, Tally>();
  // Fields selected on one object of a selection, per first field node (the document's own AST).
  const selectedCounts = new WeakMap<FieldNode, number>();

  const selected = (info: GraphQLResolveInfo): number => {
    const first = info.fieldNodes[0];
    if (first === undefined) return 0;
    const known = selectedCounts.get(first);
    if (known !== undefined) return known;
    let count = 0;
    for (const node of info.fieldNodes) eachSelectedField(node.selectionSet, info.fragments, new Set(), () => (count += 1));
    selectedCounts.set(first, count);
    return count;
  };

  const wrapField = (field: GraphQLField<unknown, unknown>): void => {
    const list = isListType(field.type);
    const nonNull = isNonNullType(field.type);
    const resolve = field.resolve ?? defaultFieldResolver;
    const account = (tally: Tally | undefined, value: unknown, info: GraphQLResolveInfo): unknown => {
      if (tally === undefined) return value;
      if (tally.stopped) return stoppedValue(list, nonNull);
      if (isPromiseLike(value)) return Promise.resolve(value).then((settled) => account(tally, settled, info));
      if (value === null || value === undefined) return value;
      // Entries may themselves be promises (`_entities`): counted as objects, each with its fields.
      tally.positions += list ? (Array.isArray(value) ? value.length : 0) * (1 + selected(info)) : selected(info);
      if (tally.positions <= maxPositions) return value;
      tally.stopped = true;
      return stoppedValue(list, nonNull);
    };
    field.resolve = (source, args, context: unknown, info) => {
      const tally = typeof context === 'object' && context !== null ? tallies.get(context) : undefined;
      if (tally?.stopped === true) return stoppedValue(list, nonNull);
      return account(tally, resolve(source, args, context, info), info);
    };
  };

  return {
    wrap(schema) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (type.name.startsWith('__') || !isObjectType(type)) continue;
        for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
          if (isListType(field.type) || isCompositeType(namedType(field.type))) wrapField(field);
        }
      }
      return schema;
    },
    plugin: {
      requestDidStart: ({ contextValue }) => {
        const tally = { positions: 0, stopped: false };
        tallies.set(contextValue, tally);
        return Promise.resolve({
          willSendResponse: ({ response }) => {
            if (tally.stopped && response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [tooLarge(`${maxPositions.toLocaleString('en-US')} fields and list entries`, 'GRAPHQL_MAX_RESPONSE_POSITIONS', 'maxResponsePositions')],
                data: null,
              };
            }
            return Promise.resolve();
          },
        });
      },
    },
  };
}

/** What a field answers once its request has stopped: nothing more to execute below it. */
function stoppedValue(list: boolean, nonNull: boolean): unknown {
  if (list) return [];
  if (nonNull) throw STOPPED;
  return null;
}
