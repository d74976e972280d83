/**
 * Demand control: how large a request's answer can be, estimated before any work. Every output
 * position costs 1: an object, a scalar, an enum and `__typename` alike, each alias on its own, and
 * a list multiplies what each item costs by its size. A list's size is, in order: the length of its
 * sizing argument (`recordings(acdContactIds:)`, `statements(statementIds:)`,
 * `_entities(representations:)`, as a literal or a variable); the value of the schema's
 * `@listSize(slicingArguments:)` (`completedContacts(first:)` sizes its `edges`); the schema's
 * `@listSize(assumedSize:)`; else the assumed size. So
 * `recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl } }` costs
 * |ids| x (1 + 1 + |st| x (1 + 1)): the recording, its `statements` list, each statement and its
 * `playerUrl`. The router reads the same `@listSize` sizes; its `@cost` weights price upstream
 * calls instead of positions (README, "Limits and fair use").
 */
import {
  Kind,
  type ConstDirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * List fields whose size is the length of one of their arguments: what `@listSize(slicingArguments:)`
 * would say in the schema (schema.graphql is shared with the router; these mirror it).
 */
const SIZING_ARGUMENTS: Readonly<Record<string, string>> = Object.freeze({
  'Query.recordings': 'acdContactIds',
  'Query._entities': 'representations',
  'CxoneRecording.statements': 'statementIds',
});

interface DemandOptions {
  /** Size assumed for a list with no sizing argument (the router's `list_size`). */
  readonly assumedListSize: number;
}

/**
 * The estimated cost of `operation` with these variables. Fragments are expanded; every branch of
 * an abstract type and every `@skip`/`@include` is counted (an upper bound, like the router's).
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
  options: DemandOptions,
): DemandEstimate {
  /** The longest sizing argument seen per field coordinate. */
  const listSizes = new Map<string, number>();
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return { cost: 0, upstreamCalls: 0, listSizes };

  const selectionCost = (
    type: GraphQLCompositeType,
    selectionSet: SelectionSetNode,
    visiting: ReadonlySet<string>,
    handed: ReadonlyMap<string, number> | undefined,
  ): Cost => {
    const total: Cost = { positions: 0, calls: 0 };
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          add(total, fieldCost(type, selection, visiting, handed));
          break;
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition === undefined ? type : schema.getType(selection.typeCondition.name.value);
          if (condition !== undefined && condition !== null && isCompositeType(condition)) {
            add(total, selectionCost(condition, selection.selectionSet, visiting, handed));
          }
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = fragments[name];
          // A cycle is a validation error already; counting it once keeps this total finite.
          if (fragment === undefined || visiting.has(name)) break;
          const condition = schema.getType(fragment.typeCondition.name.value);
          if (condition !== undefined && condition !== null && isCompositeType(condition)) {
            add(total, selectionCost(condition, fragment.selectionSet, new Set([...visiting, name]), handed));
          }
          break;
        }
      }
    }
    return total;
  };

  /** Sizes `@listSize(sizedFields:)` hands down to children of the field being costed. */
  const fieldCost = (
    parent: GraphQLCompositeType,
    node: FieldNode,
    visiting: ReadonlySet<string>,
    handed: ReadonlyMap<string, number> | undefined,
  ): Cost => {
    // __typename and every other meta field is one position.
    const field = fieldOf(parent, node.name.value);
    if (field === undefined) return { positions: 1, calls: 0 };
    const coordinate = `${parent.name}.${field.name}`;
    const listSize = listSizeOf(field);
    const slicing = listSize === undefined ? undefined : slicingValue(node, listSize.slicingArguments, variables);
    const toChildren =
      listSize !== undefined && listSize.sizedFields.length > 0
        ? new Map(listSize.sizedFields.map((name) => [name, slicing ?? listSize.assumedSize ?? options.assumedListSize]))
        : undefined;
    const named = getNamedType(field.type);
    const below =
      node.selectionSet === undefined || !isCompositeType(named)
        ? { positions: 0, calls: 0 }
        : selectionCost(named, node.selectionSet, visiting, toChildren);
    const each: Cost = { positions: 1 + below.positions, calls: callsOf(field) + below.calls };
    if (!isListType(getNullableType(field.type))) return each;
    const sizing = SIZING_ARGUMENTS[coordinate];
    const argument = sizing === undefined ? undefined : argumentLength(node, sizing, variables);
    if (argument !== undefined) listSizes.set(coordinate, Math.max(argument, listSizes.get(coordinate) ?? 0));
    const size =
      argument ??
      handed?.get(field.name) ??
      (toChildren === undefined ? slicing : undefined) ??
      listSize?.assumedSize ??
      options.assumedListSize;
    // The list itself is a position, then each of its items; a costed sizing argument is a call per id.
    const perId = sizing === undefined ? 0 : argumentCallsOf(field, sizing);
    return { positions: 1 + each.positions * size, calls: each.calls * size + perId * (argument ?? 0) };
  };

  const { positions, calls } = selectionCost(root, operation.selectionSet, new Set(), undefined);
  return { cost: positions, upstreamCalls: calls, listSizes };
}

/** What `estimateCost` found. */
interface DemandEstimate {
  /** Output positions the operation will produce at most: objects, scalars, `__typename`, list entries. */
  readonly cost: number;
  /**
   * CXone calls the operation may make at most, from the schema's `@cost` weights (one call is
   * weight 10, as schema.graphql prices it for the router): on a field, per value produced; on a
   * sizing argument, per id given.
   */
  readonly upstreamCalls: number;
  /** The longest sizing argument per field coordinate, e.g. `Query._entities` -> 500. */
  readonly listSizes: ReadonlyMap<string, number>;
}

// graphql's own predicates (isListType...) are instanceof checks, and @apollo/subgraph builds the
// schema with graphql's CommonJS build, whose classes this ES module does not share. Every graphql
// type names itself through Symbol.toStringTag, which both builds agree on.
function tagOf(type: GraphQLType | GraphQLNamedType | null | undefined): string {
  return Object.prototype.toString.call(type);
}

function isCompositeType(type: GraphQLType | GraphQLNamedType | null | undefined): type is GraphQLCompositeType {
  const tag = tagOf(type);
  return tag === '[object GraphQLObjectType]' || tag === '[object GraphQLInterfaceType]' || tag === '[object GraphQLUnionType]';
}

function getNullableType(type: GraphQLType): GraphQLType {
  return tagOf(type) === '[object GraphQLNonNull]' && 'ofType' in type ? type.ofType : type;
}

function isListType(type: GraphQLType): boolean {
  return tagOf(type) === '[object GraphQLList]';
}

function getNamedType(type: GraphQLType): GraphQLType {
  let current = type;
  while ('ofType' in current) current = current.ofType;
  return current;
}

/** A field of an object or interface type; unions have none but `__typename`. */
function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (!('getFields' in type)) return undefined;
  return type.getFields()[name];
}

/** The length of a list argument, from a literal or a variable; undefined when it is not a list. */
function argumentLength(node: FieldNode, name: string, variables: Readonly<Record<string, unknown>>): number | undefined {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  if (argument === undefined) return undefined;
  return valueLength(argument.value, variables);
}

function valueLength(value: ValueNode, variables: Readonly<Record<string, unknown>>): number | undefined {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    // A single value for a list argument is coerced to a list of one.
    return Array.isArray(given) ? given.length : given === undefined || given === null ? 0 : 1;
  }
  return value.kind === Kind.NULL ? 0 : 1;
}

/** A field's `@listSize`, as the schema declares it for the router. */
interface ListSize {
  readonly assumedSize: number | undefined;
  readonly slicingArguments: readonly string[];
  readonly sizedFields: readonly string[];
}

/** The field's `@listSize` directive, from its schema definition (a field has one or two directives). */
function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
  const directive = field.astNode?.directives?.find((candidate) => candidate.name.value === 'listSize');
  if (directive === undefined) return undefined;
  const argument = (name: string): ValueNode | undefined => directive.arguments?.find((candidate) => candidate.name.value === name)?.value;
  const assumed = argument('assumedSize');
  return {
    assumedSize: assumed?.kind === Kind.INT ? Number(assumed.value) : undefined,
    slicingArguments: stringList(argument('slicingArguments')),
    sizedFields: stringList(argument('sizedFields')),
  };
}

function stringList(value: ValueNode | undefined): string[] {
  if (value === undefined) return [];
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind !== Kind.LIST) return [];
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

/** The largest Int given to one of the slicing arguments, from a literal or a variable. */
function slicingValue(node: FieldNode, names: readonly string[], variables: Readonly<Record<string, unknown>>): number | undefined {
  let largest: number | undefined;
  for (const name of names) {
    const value = node.arguments?.find((candidate) => candidate.name.value === name)?.value;
    if (value === undefined) continue;
    const given: unknown = value.kind === Kind.VARIABLE ? variables[value.name.value] : value.kind === Kind.INT ? Number(value.value) : undefined;
    if (typeof given === 'number' && Number.isFinite(given) && given >= 0) largest = Math.max(largest ?? 0, given);
  }
  return largest;
}

/** Positions and upstream calls, added up through the selection. */
interface Cost {
  positions: number;
  calls: number;
}

function add(total: Cost, more: Cost): void {
  total.positions += more.positions;
  total.calls += more.calls;
}

/** One CXone call in the schema's `@cost` weights. */
const CALL_WEIGHT = 10;

/** Upstream calls one value of the field costs: its `@cost(weight:)` over CALL_WEIGHT. */
function callsOf(field: GraphQLField<unknown, unknown>): number {
  return weightOf(field.astNode?.directives) / CALL_WEIGHT;
}

/** Upstream calls per id of a costed sizing argument (`acdContactIds: [ID!]! @cost(weight: 10)`). */
function argumentCallsOf(field: GraphQLField<unknown, unknown>, name: string): number {
  const argument = field.args.find((candidate) => candidate.name === name);
  return weightOf(argument?.astNode?.directives) / CALL_WEIGHT;
}

function weightOf(directives: readonly ConstDirectiveNode[] | undefined): number {
  const cost = directives?.find((candidate) => candidate.name.value === 'cost');
  const weight = cost?.arguments?.find((candidate) => candidate.name.value === 'weight')?.value;
  return weight?.kind === Kind.INT ? Number(weight.value) : 0;
}
