/**
 * Demand control: how large a request's answer can be, estimated before any work, by the rule of
 * docs/operations.md ("Size before work"). The router reads the same `@listSize`; its `@cost`
 * weights price upstream calls instead ("How the router's estimate differs").
 */
import {
  GraphQLError,
  Kind,
  type ArgumentNode,
  type ConstDirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
  type NameNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { LimitName, QueryLimits } from './limits.js';

/**
 * List fields sized by the length of an argument: `@listSize(slicingArguments:)` takes only Int
 * arguments, so schema.graphql cannot say this for the router.
 */
const SIZING_ARGUMENTS: Readonly<Record<string, string>> = Object.freeze({
  'Query.recordings': 'acdContactIds',
  'Query._entities': 'representations',
  'CxoneRecording.statements': 'statementIds',
});

export interface DemandEstimate {
  /** Output positions the operation will produce at most. */
  readonly cost: number;
  /** CXone calls it may make at most: `@cost` per value produced, or per id of a costed argument. */
  readonly upstreamCalls: number;
  /** The longest `_entities(representations:)` list. */
  readonly representations: number;
}

interface Cost {
  positions: number;
  calls: number;
}

/** The sizes a parent's `@listSize(sizedFields:)` gives its children, by field name. */
type HandedSizes = ReadonlyMap<string, number> | undefined;

/**
 * The estimated cost of `operation` with these variables. Fragments are expanded; every branch of
 * an abstract type and every `@skip`/`@include` is counted (an upper bound, like the router's).
 * `assumedListSize` sizes a list with nothing else to go by (the router's `list_size`).
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
  { assumedListSize }: { readonly assumedListSize: number },
): DemandEstimate {
  let representations = 0;

  const selectionCost = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, visiting: ReadonlySet<string>, handed: HandedSizes): Cost => {
    const total: Cost = { positions: 0, calls: 0 };
    for (const selection of selectionSet.selections) {
      let below: Cost | undefined;
      if (selection.kind === Kind.FIELD) {
        below = fieldCost(type, selection, visiting, handed);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition === undefined ? type : schema.getType(selection.typeCondition.name.value);
        if (isCompositeType(condition)) below = selectionCost(condition, selection.selectionSet, visiting, handed);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        const condition = fragment === undefined ? undefined : schema.getType(fragment.typeCondition.name.value);
        // A cycle is a validation error already; counting it once keeps this total finite.
        if (fragment !== undefined && !visiting.has(name) && isCompositeType(condition)) {
          below = selectionCost(condition, fragment.selectionSet, new Set([...visiting, name]), handed);
        }
      }
      total.positions += below?.positions ?? 0;
      total.calls += below?.calls ?? 0;
    }
    return total;
  };

  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode, visiting: ReadonlySet<string>, handed: HandedSizes): Cost => {
    // Unions have no fields: `__typename` and every other meta field is one position.
    const field = 'getFields' in parent ? parent.getFields()[node.name.value] : undefined;
    if (field === undefined) return { positions: 1, calls: 0 };
    const coordinate = `${parent.name}.${field.name}`;
    const listSize = named(field.astNode?.directives, 'listSize');
    const assumed = argumentValue(listSize, 'assumedSize');
    const assumedSize = assumed?.kind === Kind.INT ? Number(assumed.value) : undefined;
    const slicing = slicingValue(node, stringList(argumentValue(listSize, 'slicingArguments')));
    const sizedFields = stringList(argumentValue(listSize, 'sizedFields'));
    const childSize = slicing ?? assumedSize ?? assumedListSize;
    const toChildren = sizedFields.length === 0 ? undefined : new Map(sizedFields.map((name) => [name, childSize]));
    const inner = namedType(field.type);
    const below =
      node.selectionSet === undefined || !isCompositeType(inner)
        ? { positions: 0, calls: 0 }
        : selectionCost(inner, node.selectionSet, visiting, toChildren);
    const each: Cost = { positions: 1 + below.positions, calls: callsOf(field.astNode?.directives) + below.calls };
    if (!isListType(field.type)) return each;
    const sizing = SIZING_ARGUMENTS[coordinate];
    const argument = sizing === undefined ? undefined : argumentLength(argumentValue(node, sizing));
    if (coordinate === 'Query._entities') representations = Math.max(argument ?? 0, representations);
    // A slicing argument sizes either this list or, with `sizedFields`, those children.
    const ownSize = toChildren === undefined ? childSize : (assumedSize ?? assumedListSize);
    const size = argument ?? handed?.get(field.name) ?? ownSize;
    // The list itself is a position, then each of its items; a costed sizing argument is a call per id.
    const perId = callsOf(field.args.find((candidate) => candidate.name === sizing)?.astNode?.directives);
    return { positions: 1 + each.positions * size, calls: each.calls * size + perId * (argument ?? 0) };
  };

  /** The largest Int given to one of the slicing arguments, from a literal or a variable. */
  const slicingValue = (node: FieldNode, names: readonly string[]): number | undefined => {
    const sizes = names.map((name): unknown => {
      const value = argumentValue(node, name);
      if (value?.kind === Kind.VARIABLE) return variables[value.name.value];
      return value?.kind === Kind.INT ? Number(value.value) : undefined;
    });
    const valid = sizes.filter((size): size is number => typeof size === 'number' && Number.isFinite(size) && size >= 0);
    return valid.length === 0 ? undefined : Math.max(...valid);
  };

  /** The length of a list argument, from a literal or a variable; a single value is a list of one. */
  const argumentLength = (value: ValueNode | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind !== Kind.VARIABLE) return value.kind === Kind.NULL ? 0 : 1;
    const given = variables[value.name.value];
    return Array.isArray(given) ? given.length : given === undefined || given === null ? 0 : 1;
  };

  const root = schema.getRootType(operation.operation);
  const total = root ? selectionCost(root, operation.selectionSet, new Set(), undefined) : { positions: 0, calls: 0 };
  return { cost: total.positions, upstreamCalls: total.calls, representations };
}

/**
 * Refuses an operation whose estimate, or `_entities` list, is over its limit: once the operation is
 * known, before anything loads (validation rules never see variables, where list sizes come from).
 */
export function demandControl<TContext extends BaseContext & { demand?: DemandEstimate | undefined }>(
  limits: QueryLimits,
): ApolloServerPlugin<TContext> {
  const refuse = (message: string, limit: LimitName, extensions: Record<string, number> = {}): GraphQLError =>
    new GraphQLError(`Query rejected: ${message}`, {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, ...extensions, http: { status: 400 } },
    });
  const estimates = new WeakMap<OperationDefinitionNode, Map<string, DemandEstimate>>();
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, operation, request, contextValue }) => {
          if (operation === undefined) return Promise.resolve();
          const variables = request.variables ?? {};
          // Apollo keeps one parsed document per query text, and the estimate reads the variables only
          // through their sizes: a router's next page of the same operation costs one lookup.
          const sizes = variableSizes(operation, variables);
          let known = estimates.get(operation);
          let estimate = known?.get(sizes);
          if (estimate === undefined) {
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const definition of document.definitions) {
              if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
            }
            estimate = estimateCost(schema, operation, fragments, variables, limits);
            if (known === undefined) estimates.set(operation, (known = new Map()));
            if (known.size >= ESTIMATES_PER_OPERATION) known.clear();
            known.set(sizes, estimate);
          }
          contextValue.demand = estimate;
          const { cost, representations } = estimate;
          const max = limits.estimatedCost;
          if (cost > max) {
            throw refuse(
              `its estimated cost is ${cost.toLocaleString('en-US')}, over the limit of ${max.toLocaleString('en-US')} (limit set by GRAPHQL_MAX_ESTIMATED_COST). Ask for fewer ids at once, or fewer nested lists.`,
              'maxEstimatedCost',
              { estimatedCost: cost, maxEstimatedCost: max },
            );
          }
          if (representations > limits.representations) {
            throw refuse(
              `_entities has ${String(representations)} representations, over the limit of ${String(limits.representations)} (limit set by GRAPHQL_MAX_REPRESENTATIONS).`,
              'maxRepresentations',
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

/** Distinct variable sizes remembered per operation (a router sends a few page sizes). */
const ESTIMATES_PER_OPERATION = 64;

/**
 * What `estimateCost` reads of the variables: each declared variable's list length, number, or
 * absence (validation leaves no variable undeclared). Equal texts give equal estimates.
 */
export function variableSizes(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): string {
  let sizes = '';
  for (const definition of operation.variableDefinitions ?? []) {
    const value = variables[definition.variable.name.value];
    if (Array.isArray(value)) sizes += `[${String(value.length)}`;
    else if (typeof value === 'number') sizes += `#${String(value)}`;
    else sizes += value === undefined || value === null ? '-' : '*';
  }
  return sizes;
}

/** The first node called `name`: a directive, or an argument of a field or a directive. */
function named<T extends { readonly name: NameNode }>(nodes: readonly T[] | undefined, name: string): T | undefined {
  return nodes?.find((candidate) => candidate.name.value === name);
}

function argumentValue(
  node: { readonly arguments?: readonly ArgumentNode[] } | undefined,
  name: string,
): ValueNode | undefined {
  return named(node?.arguments, name)?.value;
}

function stringList(value: ValueNode | undefined): string[] {
  if (value?.kind === Kind.STRING) return [value.value];
  return value?.kind === Kind.LIST ? value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : [])) : [];
}

/** Upstream calls in `@cost(weight:)`: one CXone call is weight 10, as schema.graphql prices it. */
function callsOf(directives: readonly ConstDirectiveNode[] | undefined): number {
  const weight = argumentValue(named(directives, 'cost'), 'weight');
  return weight?.kind === Kind.INT ? Number(weight.value) / 10 : 0;
}

/**
 * Visits the fields selected on one object, fragments expanded (a fragment in `seen` is not expanded
 * again). A callback, not a generator: it runs per `Contact.recording`, where a generator costs 3x.
 */
export function eachSelectedField(
  selectionSet: SelectionSetNode | undefined,
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>,
  seen: Set<string>,
  visit: (field: FieldNode) => void,
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) eachSelectedField(selection.selectionSet, fragments, seen, visit);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      eachSelectedField(fragments[selection.name.value]?.selectionSet, fragments, seen, visit);
    }
  }
}

// Not graphql's predicates (instanceof): @apollo/subgraph builds the schema with graphql's CommonJS
// build, whose classes this ES module does not share; Symbol.toStringTag is the same in both.
function tagOf(type: GraphQLType | null | undefined): string {
  return Object.prototype.toString.call(type);
}

export function isObjectType(type: GraphQLType | null | undefined): type is GraphQLObjectType {
  return tagOf(type) === '[object GraphQLObjectType]';
}

export function isCompositeType(type: GraphQLType | null | undefined): type is GraphQLCompositeType {
  const tag = tagOf(type);
  return tag === '[object GraphQLObjectType]' || tag === '[object GraphQLInterfaceType]' || tag === '[object GraphQLUnionType]';
}

export function isNonNullType(type: GraphQLType): boolean {
  return tagOf(type) === '[object GraphQLNonNull]';
}

/** A list, nullable or not. */
export function isListType(type: GraphQLType): boolean {
  return tagOf(isNonNullType(type) && 'ofType' in type ? type.ofType : type) === '[object GraphQLList]';
}

export function namedType(type: GraphQLType): GraphQLNamedType {
  let current = type;
  while ('ofType' in current) current = current.ofType;
  return current;
}
