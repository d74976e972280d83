/** Reads a subgraph's /metrics over HTTP, as Prometheus would, and looks samples up by name and labels. */
export interface Scrape {
  readonly text: string;
  /** The sample's value, or undefined when there is no such series. Labels must match exactly. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Sum over every series of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

export async function scrape(graphqlUrl: string): Promise<Scrape> {
  const response = await fetch(new URL('/metrics', graphqlUrl));
  if (response.status !== 200) throw new Error(`/metrics answered ${String(response.status)}`);
  const text = await response.text();
  const samples = parse(text);
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    text,
    value(name, labels = {}) {
      return matching(name, labels).find((s) => Object.keys(s.labels).length === Object.keys(labels).length)?.value;
    },
    sum(name, labels = {}) {
      return matching(name, labels).reduce((total, s) => total + s.value, 0);
    },
  };
}

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = LINE.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The answer caches' events (src/http/response-cache.ts), as `graphql_response_cache_events_total` counts them. */
export type ResponseCacheEvent = 'hit' | 'assembled' | 'partial' | 'miss' | 'store' | 'expired' | 'bypass';

/** Every answer-cache event's count now (0 for one not seen yet). */
export async function responseCacheEvents(graphqlUrl: string): Promise<Record<ResponseCacheEvent, number>> {
  const metrics = await scrape(graphqlUrl);
  const of = (event: ResponseCacheEvent): number => metrics.value('graphql_response_cache_events_total', { event }) ?? 0;
  return { hit: of('hit'), assembled: of('assembled'), partial: of('partial'), miss: of('miss'), store: of('store'), expired: of('expired'), bypass: of('bypass') };
}
