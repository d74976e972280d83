import type { GraphQLSchema } from 'graphql';
import { badUserInput, type AppError } from '../errors.js';
import { isPromiseLike } from '../promise-like.js';
import { isRecord } from '../json.js';

/**
 * Checks every `_entities` representation before @apollo/subgraph sees it: one that is not an
 * object, names no entity type of ours, or lacks a key field gets BAD_USER_INPUT in its own slot
 * (the subgraph library would fail the whole batch, or crash on it, as INTERNAL_SERVER_ERROR).
 * A key that is present but null, empty or not a string is left to the field that needs it
 * (`Contact.recording` answers null with BAD_USER_INPUT), so the rest of the entity still resolves.
 */
export function guardEntityRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()['_entities'];
  const resolve = field?.resolve;
  if (field === undefined || resolve === undefined) return schema;
  field.resolve = (source, args: Record<string, unknown>, context, info) => {
    const given = args['representations'];
    const problems = Array.isArray(given) ? given.map(representationProblem) : [];
    if (!Array.isArray(given) || problems.every((problem) => problem === null)) {
      return resolve(source, args, context, info) as unknown;
    }
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
  const problem = (detail: string): AppError =>
    badUserInput(`representations[${String(index)}]${detail}`, 'representations');
  if (!isRecord(representation)) return problem(' must be an object with __typename and its key fields.');
  const { __typename: typename, acdContactId } = representation;
  if (typeof typename !== 'string') return problem(' has no __typename.');
  // schema.graphql's one entity: Contact @key(fields: "acdContactId").
  if (typename !== 'Contact') return problem(': this subgraph resolves no entity of that type.');
  if (!Object.hasOwn(representation, 'acdContactId')) return problem(' lacks its key field acdContactId.');
  if (typeof acdContactId === 'object' && acdContactId !== null) return problem(': acdContactId must be a string.');
  return null;
}
