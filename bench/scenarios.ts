/**
 * What the benchmark asks: the queries, which ids each request uses, and how hard each scenario is
 * driven. Cold requests take fresh ids from an IdCursor (never the warm ones); warm requests repeat
 * the first ids.
 */

/** The simulator's generated contacts: 200000000001 .. 200000010000. */
export const BULK_COUNT = 10_000;
const BULK_BASE = 200_000_000_000;

/** `count` bulk ids starting at index `from` (0-based): bulkIds(2, 0) = 200000000001, 200000000002. */
export function bulkIds(count: number, from: number): string[] {
  return Array.from({ length: count }, (_, index) => String(BULK_BASE + 1 + ((from + index) % BULK_COUNT)));
}

/** The same selection everywhere, so every contender does the same work per recording. */
const RECORDING_FIELDS = 'acdContactId durationSeconds mediaUrl { url expiresAt fileName } agents { name }';

export type ScenarioName = 'single' | 'page20' | 'entities20' | 'entities20varied' | 'entities20halfnew' | 'entities10' | 'report200';

export interface Scenario {
  readonly name: ScenarioName;
  readonly label: string;
  /** Through the gateway (federated) or straight to the contender. */
  readonly via: 'gateway' | 'subgraph';
  /** Distinct contacts per query. */
  readonly keys: number;
  /** autocannon connections, the same for every contender. */
  readonly connections: number;
  /** Warm only (no cold runs, no probes): the requests draw from contacts cached beforehand. */
  readonly warmOnly?: boolean;
  /** The JSON body of the request that reads `keys` bulk contacts from index `start` on. */
  body(start: number): string;
  /** How many non-null recordings a correct answer holds. */
  recordingsIn(data: unknown): number;
}

const json = (query: string, variables: Record<string, unknown>): string => JSON.stringify({ query, variables });

function countRecordings(list: unknown, pick: (item: unknown) => unknown): number {
  if (!Array.isArray(list)) return 0;
  return list.filter((item) => {
    const recording = pick(item);
    return typeof recording === 'object' && recording !== null && 'acdContactId' in recording;
  }).length;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

export function entitiesBody(ids: readonly string[], fresh: readonly string[] = [], seed = 0): string {
  return json(
    `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Contact { recording { ${RECORDING_FIELDS} } } } }`,
    {
      representations: [
        ...ids.map((acdContactId) => ({ __typename: 'Contact', acdContactId })),
        // A field beside the key, as a router sends `@requires` fields: a representation never sent
        // before (new to the answer caches), of a contact the recording cache holds.
        ...fresh.map((acdContactId) => ({ __typename: 'Contact', acdContactId, crmRevision: seed })),
      ],
    },
  );
}

/**
 * `count` distinct bulk ids among the first `among`, in a random order, the same for the same seed
 * (mulberry32 + a partial Fisher-Yates shuffle): every seed is another body.
 */
export function drawIds(count: number, among: number, seed: number): string[] {
  let state = (seed * 2654435761) >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pool = bulkIds(among, 0);
  for (let index = 0; index < count; index++) {
    const pick = index + Math.floor(random() * (among - index));
    [pool[index], pool[pick]] = [pool[pick]!, pool[index]!];
  }
  return pool.slice(0, count);
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'single',
    label: 'single contact, `recording(acdContactId:)` direct',
    via: 'subgraph',
    keys: 1,
    connections: 10,
    body: (start) =>
      json(`query One($id: ID!) { recording(acdContactId: $id) { ${RECORDING_FIELDS} } }`, { id: bulkIds(1, start)[0] }),
    recordingsIn: (data) => countRecordings([field(data, 'recording')], (item) => item),
  },
  {
    name: 'page20',
    label: 'federated page of 20 contacts with recordings, via the gateway',
    via: 'gateway',
    keys: 20,
    connections: 10,
    body: (start) =>
      json(
        `query Page($offset: Int!) { contacts(first: 20, offset: $offset) { acdContactId customerName recording { ${RECORDING_FIELDS} } } }`,
        { offset: start % BULK_COUNT },
      ),
    recordingsIn: (data) => countRecordings(field(data, 'contacts'), (item) => field(item, 'recording')),
  },
  {
    name: 'entities20',
    label: "the same page's `_entities` hop (20 representations), direct",
    via: 'subgraph',
    keys: 20,
    connections: 10,
    body: (start) =>
      entitiesBody(bulkIds(20, start)),
    recordingsIn: (data) => countRecordings(field(data, '_entities'), (item) => field(item, 'recording')),
  },
  {
    name: 'entities20varied',
    label:
      "`_entities` hops of 20 contacts drawn at random from the 200 warm ones, a fresh draw (a fresh body) per request, so no whole-response cache can answer; direct",
    via: 'subgraph',
    keys: 20,
    connections: 10,
    warmOnly: true,
    body: (seed) => entitiesBody(drawIds(20, WARM_IDS, seed)),
    recordingsIn: (data) => countRecordings(field(data, '_entities'), (item) => field(item, 'recording')),
  },
  {
    name: 'entities20halfnew',
    label:
      "`_entities` hops of 20 warm contacts, a fresh draw per request: 10 as asked before (kept entity answers once warm), 10 with representations never sent before (a `crmRevision` field that changes per request), so the pipeline runs for half of every page while the recording cache holds all of them; direct",
    via: 'subgraph',
    keys: 20,
    connections: 10,
    warmOnly: true,
    body: (seed) => {
      const ids = drawIds(20, WARM_IDS, seed);
      return entitiesBody(ids.slice(0, 10), ids.slice(10), seed);
    },
    recordingsIn: (data) => countRecordings(field(data, '_entities'), (item) => field(item, 'recording')),
  },
  {
    name: 'entities10',
    label:
      "`_entities` hops of 10 warm contacts, a fresh draw per request: the half of an `entities20halfnew` page that runs (the same representations), for (a) and (e) only, the floor of that page inside Apollo (nothing assembled, nothing kept); direct",
    via: 'subgraph',
    keys: 10,
    connections: 10,
    warmOnly: true,
    body: (seed) => entitiesBody([], drawIds(20, WARM_IDS, seed).slice(10), seed),
    recordingsIn: (data) => countRecordings(field(data, '_entities'), (item) => field(item, 'recording')),
  },
  {
    name: 'report200',
    label: 'reporting, `recordings(acdContactIds:)` with 200 ids, direct',
    via: 'subgraph',
    keys: 200,
    connections: 2,
    body: (start) =>
      json(`query Report($ids: [ID!]!) { recordings(acdContactIds: $ids) { ${RECORDING_FIELDS} } }`, {
        ids: bulkIds(200, start),
      }),
    recordingsIn: (data) => countRecordings(field(data, 'recordings'), (item) => item),
  },
];

/** The ids warm requests repeat: the first WARM_IDS bulk contacts (start index 0). */
const WARM_IDS = 200;

/**
 * Hands out ids nobody asked for before, for one contender: the bulk contacts after the warm ones,
 * in order, starting over (after 9,800 others: far more than the cache holds in the load runs)
 * when a window would run past the last one.
 */
export class IdCursor {
  private next = 0;
  /** Ids handed out so far. */
  get used(): number {
    return this.next;
  }
  /** The start index of `count` fresh ids. */
  take(count: number): number {
    const span = BULK_COUNT - WARM_IDS;
    const offset = this.next % span;
    this.next += count;
    return WARM_IDS + (offset + count > span ? 0 : offset);
  }
}
