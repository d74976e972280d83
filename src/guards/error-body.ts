/** The GraphQL-shaped JSON body of a refusal made before GraphQL runs. */
import type { GraphQLFormattedError } from 'graphql';

/** `{ errors: [{ message, extensions: { code } }] }`, as a GraphQL client expects any error. */
export function graphqlErrorBody(code: string, message: string): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
}
