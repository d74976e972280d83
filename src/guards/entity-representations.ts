/**
 * `_entities` representations checked before @apollo/subgraph sees them.
 */
import type { GraphQLSchema } from 'graphql';
import { badUserInput, type AppError } from '../errors.js';
import { isPromiseLike } from '../promise-like.js';

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
