/**
 * The one place an answer's policy is decided: as the answer is sent, from its AnswerRecord, status,
 * errors and operation. It also serialises the answer, since the MAX_RESPONSE_BYTES bound decides
 * the policy too; Apollo's `stringifyResult` then returns that text.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { BREAK, Kind, visit, type DocumentNode, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { exceedsBytes, tooLargeAnswer } from '../guards/response-budget.js';
import { isRecord } from '../json.js';
import { cacheControlOf, entitiesAnswerText, type AnswerPolicy, type AnswerRecord, type EntityParts, type EntitySlots, type SlotError } from './policy.js';

export function answerPolicyPlugin<TContext extends BaseContext>(options: {
  readonly recordOf: (context: TContext) => AnswerRecord;
  readonly maxResponseBytes: number;
}): {
  readonly plugin: ApolloServerPlugin<TContext>;
  readonly stringify: (result: FormattedExecutionResult) => string;
} {
  // Keyed by the result's `data` object, which Apollo hands on unchanged to `stringifyResult`.
  const serialised = new WeakMap<object, Pick<OrderedResult, 'errors' | 'extensions'> & { readonly text: string }>();

  const decide = (requestContext: GraphQLRequestContextWillSendResponse<TContext>): AnswerPolicy => {
    const { response, contextValue } = requestContext;
    const record = options.recordOf(contextValue);
    const { scope, remainingMs: remaining } = record;
    const lasting = remaining !== null && remaining > 0 && !record.hasPassingState;
    if (response.body.kind !== 'single') return { clientMaxAgeMs: lasting ? remaining : null, replay: null };
    const result = response.body.singleResult;
    const ordered = { errors: result.errors, data: result.data, extensions: result.extensions };
    const fetch = entityFetchOf(requestContext.document, requestContext.operation, ordered);
    // Each entity is serialised once: its text is its part of the body (the serialisation is compositional).
    const full = fetch === null ? JSON.stringify(ordered) : entitiesAnswerText(fetch.responseKey, fetch.bodies, fetch.errors);
    const tooLarge = exceedsBytes(full, options.maxResponseBytes);
    // Already known to be too large: not serialised a second time to find that out.
    const text = tooLarge ? tooLargeAnswer(options.maxResponseBytes) : full;
    if (ordered.data !== null && ordered.data !== undefined) serialised.set(ordered.data, { errors: ordered.errors, extensions: ordered.extensions, text });
    const status = response.http.status ?? 200;
    // What the answer may stand for in a larger page: the rest of that page's policy comes from its kept entities.
    const combinable =
      !tooLarge && status === 200 && scope !== null && !record.askedRefresh && !record.hasPassingState && (remaining === null || remaining > 0);
    const slots = combinable && fetch !== null ? { ...fetch, scope, expiresAt: remaining === null ? null : record.startedAt + remaining } : undefined;
    const withSlots = (policy: AnswerPolicy): AnswerPolicy => (slots === undefined ? policy : { ...policy, slots });
    if (tooLarge || !lasting) return withSlots({ clientMaxAgeMs: null, replay: null });
    if (status !== 200 || scope === null || record.askedRefresh) return { clientMaxAgeMs: remaining, replay: null };
    const errors = ordered.errors ?? [];
    return withSlots({
      clientMaxAgeMs: remaining,
      replay: {
        scope,
        expiresAt: record.startedAt + remaining,
        whole: errors.length === 0 && ordered.extensions === undefined,
        entities: fetch === null ? null : partsOf(fetch, entityExpiry(record, requestContext.request.variables)),
      },
    });
  };

  return {
    plugin: {
      requestDidStart: () =>
        Promise.resolve({
          willSendResponse: (requestContext) => {
            const policy = decide(requestContext);
            options.recordOf(requestContext.contextValue).decide(policy);
            requestContext.response.http.headers.set('cache-control', cacheControlOf(policy.clientMaxAgeMs));
            return Promise.resolve();
          },
        }),
    },
    stringify: (result) => {
      const known = result.data === null || result.data === undefined ? undefined : serialised.get(result.data);
      if (known !== undefined && known.errors === result.errors && known.extensions === result.extensions) return known.text;
      // Not seen by the plugin (no data): serialised here, over the byte bound replaced the same way.
      const text = JSON.stringify(result);
      return exceedsBytes(text, options.maxResponseBytes) ? tooLargeAnswer(options.maxResponseBytes) : text;
    },
  };
}

/** Each entity's own expiry, from what was read for its contact, not its page's. */
function entityExpiry(record: AnswerRecord, variables: Readonly<Record<string, unknown>> | undefined) {
  return (variable: string, slot: number): number | undefined => {
    const representations = variables?.[variable];
    const representation: unknown = Array.isArray(representations) ? representations[slot] : undefined;
    if (!isRecord(representation)) return undefined;
    const id = representation['acdContactId'];
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    const remaining = record.remainingMsOf(String(id));
    return remaining === undefined || remaining <= 0 ? undefined : record.startedAt + remaining;
  };
}

/** Apollo's field order for a JSON answer. */
interface OrderedResult {
  readonly errors: FormattedExecutionResult['errors'] | undefined;
  readonly data: FormattedExecutionResult['data'];
  readonly extensions: FormattedExecutionResult['extensions'] | undefined;
}

/** An entity fetch's answer slot by slot, before it is given a scope and an expiry. */
type EntityFetch = Omit<EntitySlots, 'scope' | 'expiresAt'>;

/** Only `_entities(representations: $variable)`, no directive anywhere, no extensions, no error outside a slot. */
function entityFetchOf(document: DocumentNode | undefined, operation: OperationDefinitionNode | undefined, result: OrderedResult): EntityFetch | null {
  if (document === undefined || operation === undefined || operation.operation !== 'query') return null;
  if (result.extensions !== undefined) return null;
  const [field, ...others] = operation.selectionSet.selections;
  if (field === undefined || others.length > 0 || field.kind !== Kind.FIELD || field.name.value !== '_entities') return null;
  const [argument, ...moreArguments] = field.arguments ?? [];
  if (argument === undefined || moreArguments.length > 0 || argument.name.value !== 'representations') return null;
  if (argument.value.kind !== Kind.VARIABLE || hasDirective(document)) return null;
  const responseKey = field.alias?.value ?? field.name.value;
  const entities: unknown = result.data?.[responseKey];
  if (!Array.isArray(entities)) return null;
  const errors: SlotError[] = [];
  for (const error of result.errors ?? []) {
    const [key, slot] = error.path ?? [];
    if (key !== responseKey || typeof slot !== 'number' || slot < 0 || slot >= entities.length) return null;
    errors.push({ slot, error: error as unknown as Readonly<Record<string, unknown>> });
  }
  const bodies = entities.map((entity: unknown) => JSON.stringify(entity) ?? 'null');
  return { responseKey, variable: argument.value.name.value, bodies, errors };
}

/** An entity fetch's answer split per representation, each kept entity with its own expiry. */
function partsOf(fetch: EntityFetch, expiryOf: (variable: string, slot: number) => number | undefined): EntityParts {
  const failed = new Set(fetch.errors.map((error) => error.slot));
  const parts = fetch.bodies.map((body, slot) => {
    if (failed.has(slot) || !body.startsWith('{')) return null;
    const expiresAt = expiryOf(fetch.variable, slot);
    return expiresAt === undefined ? null : { body, expiresAt };
  });
  return { responseKey: fetch.responseKey, variable: fetch.variable, parts };
}

/** Per parsed document (Apollo keeps one per query text). */
const directives = new WeakMap<DocumentNode, boolean>();

function hasDirective(document: DocumentNode): boolean {
  const known = directives.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    Directive: () => {
      found = true;
      return BREAK;
    },
  });
  directives.set(document, found);
  return found;
}
