/**
 * Demand control: what a request will really do, estimated before any work, the way Apollo's
 * router estimates it (`demand_control.strategy.static_estimated`, `@cost`/`@listSize`):
 * every object, interface or union value costs 1, scalars and enums 0, and a list multiplies what
 * each item costs by its size. A list's size is the length of its sizing argument when it has one
 * (`recordings(acdContactIds:)`, `statements(statementIds:)`, `_entities(representations:)`, as
 * a literal or a variable), else the assumed size (the router's `list_size`). So
 * `recordings(acdContactIds: $ids) { statements(statementIds: $st) { playerUrl } }` costs
 * |ids| x (1 + |st|), and a router configured with the same numbers reaches the same estimate.
 */
import {
  Kind,
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
export const SIZING_ARGUMENTS: Readonly<Record<string, string>> = Object.freeze({
  'Query.recordings': 'acdContactIds',
  'Query._entities': 'representations',
  'CxoneRecording.statements': 'statementIds',
});

export interface DemandOptions {
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
  if (root === undefined || root === null) return { cost: 0, listSizes };

  const selectionCost = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, visiting: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          total += fieldCost(type, selection, visiting);
          break;
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition === undefined ? type : schema.getType(selection.typeCondition.name.value);
          if (condition !== undefined && condition !== null && isCompositeType(condition)) {
            total += selectionCost(condition, selection.selectionSet, visiting);
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
            total += selectionCost(condition, fragment.selectionSet, new Set([...visiting, name]));
          }
          break;
        }
      }
    }
    return total;
  };

  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode, visiting: ReadonlySet<string>): number => {
    const field = fieldOf(parent, node.name.value);
    if (field === undefined) return 0;
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return 0;
    const each = 1 + (node.selectionSet === undefined ? 0 : selectionCost(named, node.selectionSet, visiting));
    const nullable = getNullableType(field.type);
    if (!isListType(nullable)) return each;
    const coordinate = `${parent.name}.${field.name}`;
    const sizing = SIZING_ARGUMENTS[coordinate];
    const size = sizing === undefined ? undefined : argumentLength(node, sizing, variables);
    if (size !== undefined) listSizes.set(coordinate, Math.max(size, listSizes.get(coordinate) ?? 0));
    return each * (size ?? options.assumedListSize);
  };

  return { cost: selectionCost(root, operation.selectionSet, new Set()), listSizes };
}

/** What `estimateCost` found. */
export interface DemandEstimate {
  /** Objects the operation will produce at most (Apollo's static estimate). */
  readonly cost: number;
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

/** A field of an object or interface type; unions have none but `__typename` (which costs 0). */
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
