/**
 * How loud a router's `_entities` fetch is. The router asks for every contact of a page in one
 * `_entities` call; a contact page (tens of contacts) is someone waiting, a 500-contact export
 * is reporting. Counting every `_entities` call as interactive let one export spend the
 * interactive reserve too, so the reserve protected no one. The rule: an `_entities` batch of
 * more than BULK_ENTITY_BATCH representations is bulk (it yields to interactive lookups when the
 * budget is tight), a smaller one is interactive.
 */
import { Kind, type GraphQLResolveInfo } from 'graphql';

/** Representations per `_entities` call above which its lookups count as bulk reporting. */
export const BULK_ENTITY_BATCH = 50;

/** Per request (its variables object): the size of its `_entities` batch, computed once. */
const batchSizes = new WeakMap<object, number>();

/** True when this field resolves under an `_entities` call of more than BULK_ENTITY_BATCH representations. */
export function isBulkEntityBatch(info: GraphQLResolveInfo): boolean {
  let root = info.path;
  while (root.prev !== undefined) root = root.prev;
  if (root.key !== '_entities') return false;
  const cached = batchSizes.get(info.variableValues);
  if (cached !== undefined) return cached > BULK_ENTITY_BATCH;
  let size = 0;
  for (const selection of info.operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') continue;
    const argument = selection.arguments?.find((candidate) => candidate.name.value === 'representations');
    if (argument?.value.kind === Kind.LIST) size = Math.max(size, argument.value.values.length);
    if (argument?.value.kind === Kind.VARIABLE) {
      const given = info.variableValues[argument.value.name.value];
      if (Array.isArray(given)) size = Math.max(size, given.length);
    }
  }
  batchSizes.set(info.variableValues, size);
  return size > BULK_ENTITY_BATCH;
}
