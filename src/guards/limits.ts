/**
 * Per-operation limits, shared by their rules and config.ts (which reads overrides from the env). The
 * defaults let through a router's 500-contact `_entities` batch of every field, and refuse attacks.
 */
export const DEFAULT_QUERY_LIMITS = Object.freeze({
  /** Deepest field nesting; the schema's deepest real path is 4 below `_entities`. */
  depth: 10,
  /** Aliased fields per operation; each alias of `recording` is another upstream call. */
  aliases: 30,
  /** Directives per operation (repeated `@include` is a cheap way to burn validation time). */
  directives: 50,
  /** Lexical tokens per document, checked while parsing so a huge document costs little. */
  tokens: 5000,
  /**
   * graphql-armor's static cost (objects 2, scalars 1, times 1.5 per level), blind to variables.
   * A router's `_entities` fetch selecting every recording field costs about 435.
   */
  cost: 5000,
  /** The demand-control estimate (./demand.ts); a router's 500-contact page of every recording field is 204,001. */
  estimatedCost: 250_000,
  /** Output positions counted while executing: lists CXone sizes (segments, messages) can outgrow the estimate. */
  responsePositions: 250_000,
  /** Size assumed for lists with no sizing argument, as the router's `list_size`. */
  assumedListSize: 5,
  /** Representations per `_entities` call: each is an upstream call, however cheap its selection. */
  representations: 1000,
});

export type QueryLimits = { readonly [Name in keyof typeof DEFAULT_QUERY_LIMITS]: number };

/** The `extensions.limit` of a refused operation (`maxDepth`...); clients can branch on it. `assumedListSize` limits nothing. */
export type LimitName = `max${Capitalize<Exclude<keyof QueryLimits, 'assumedListSize'>>}` | 'maxResponseBytes';
