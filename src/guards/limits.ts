/**
 * Per-operation limits, shared by the rules that enforce them and by config.ts (which reads their
 * overrides from the environment; no framework here, so config stays light). The defaults let
 * through what a router legitimately sends (an `_entities` batch of 500 contacts selecting every
 * recording field) and refuse what only an attack needs.
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
  /** graphql-armor's static cost (objects 2, scalars 1, times 1.5 per level); it does not read variables. */
  readonly cost: number;
  /**
   * The demand-control estimate (./demand.ts), with list sizes from variables too. A router's
   * 500-contact `_entities` page selecting every recording field is 204,001.
   */
  readonly estimatedCost: number;
  /** Output positions counted while executing: lists CXone sizes (segments, messages) can outgrow their estimate. */
  readonly responsePositions: number;
  /** Size assumed for lists with no sizing argument, as the router's `list_size`. */
  readonly assumedListSize: number;
  /** Representations per `_entities` call: each is an upstream call, however cheap its selection. */
  readonly representations: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  depth: 10,
  aliases: 30,
  directives: 50,
  tokens: 5000,
  // A router's `_entities` fetch selecting every recording field costs about 435.
  cost: 5000,
  estimatedCost: 250_000,
  responsePositions: 250_000,
  assumedListSize: 5,
  representations: 1000,
});

/** The `extensions.limit` of a refused operation; clients can branch on it. */
export type LimitName =
  | 'maxDepth'
  | 'maxAliases'
  | 'maxDirectives'
  | 'maxCost'
  | 'maxTokens'
  | 'maxEstimatedCost'
  | 'maxRepresentations'
  | 'maxResponseBytes'
  | 'maxResponsePositions';
