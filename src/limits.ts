/**
 * Per-operation limits. The defaults let through what a router legitimately sends (an
 * `_entities(representations:)` batch of 500 contacts selecting every recording field: the
 * representations are variables, which none of these count) and refuse what only an attack needs.
 */
export interface QueryLimits {
  /** Deepest field nesting; the schema's deepest real path is 4 below `_entities`. */
  readonly depth: number;
  /** Aliased fields per operation; each alias of `recording` is another upstream call. */
  readonly aliases: number;
  /** Directives per operation (repeated `@include` is a cheap way to burn validation time). */
  readonly directives: number;
  /** Lexical tokens per document, checked while parsing so a huge document costs little. */
  readonly tokens: number;
  /** graphql-armor's static cost (objects 2, scalars 1, times 1.5 per level). */
  readonly cost: number;
  /**
   * The demand-control estimate (src/demand.ts): objects the request will produce, with list sizes
   * from its arguments and variables. A router's 500-contact `_entities` page selecting every
   * recording field is about 43,000; 500 ids x 500 statements is 250,500.
   */
  readonly estimatedCost: number;
  /** Size assumed for lists with no sizing argument (segments, agents...), as the router's `list_size`. */
  readonly assumedListSize: number;
  /**
   * Representations per `_entities` call: each is an upstream call, however cheap its selection.
   * A router sends one per contact of the page it resolves.
   */
  readonly representations: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  depth: 10,
  aliases: 30,
  directives: 50,
  tokens: 5000,
  // A router's `_entities` fetch selecting every recording field costs about 435.
  cost: 5000,
  estimatedCost: 50_000,
  assumedListSize: 5,
  representations: 1000,
});
