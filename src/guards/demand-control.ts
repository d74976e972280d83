/**
 * Demand control before execution: an operation whose estimate (./demand.ts) is over the limit,
 * or that sends more representations than allowed, is refused before any work.
 */
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { estimateCost } from './demand.js';
import type { LimitName, QueryLimits } from './limits.js';

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

