/**
 * Pure helpers of the benchmark report: ratios, markdown tables and a CPU profile summary.
 * No I/O here, so test/unit/bench-report.test.ts can check them.
 */

/** `value / base` as "0.85x"; "n/a" when either side is missing or the base is 0. */
export function ratio(value: number | undefined, base: number | undefined): string {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base === 0) {
    return 'n/a';
  }
  const r = value / base;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toPrecision(2)}x`;
}

/** The run with the most requests per second; undefined for none. */
export function bestRun<T extends { readonly rps: number }>(runs: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const run of runs) if (best === undefined || run.rps > best.rps) best = run;
  return best;
}

/** A number for a table cell: "n/a" when missing, otherwise `digits` decimals below 100, none above. */
export function num(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

/** A GitHub markdown table; `|` in cells is escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }>;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** One line of the summary: a function (or a package) and its self time. */
interface SelfTime {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  /** Share of the profiled time, 0..100. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Top functions by self time. */
  readonly functions: readonly SelfTime[];
  /** Self time grouped by package (node_modules/<name>), `node:` internals, our `src/`, or V8's own entries. */
  readonly packages: readonly SelfTime[];
}

/** Where a script lives, short: "graphql", "node:internal", "src/cache" (or "dist/cache" when built), "(garbage collector)". */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1] !== undefined) return modules[1];
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  const source = /\/(src|dist|bench|test)\/(?:([^/]+)\/)?[^/]*$/.exec(url);
  if (source?.[1] !== undefined) return source[2] === undefined ? source[1] : `${source[1]}/${source[2]}`;
  return url;
}

function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const tail = path.includes('node_modules/')
    ? path.replace(/^.*node_modules\//, '')
    : path.replace(/^.*\/(src|dist|bench|test)\//, '$1/');
  return `${tail}:${String(line + 1)}`;
}

/** Self time per function and per package, biggest first (sample time deltas, not hit counts). */
export function summarizeProfile(profile: CpuProfile, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the time after the last sample is unknown.
  samples.forEach((id, index) => {
    const delta = deltas[index + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  });
  const totalUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0) || 1;
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const where = shortWhere(frame.url, frame.lineNumber);
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const area = areaOf(frame.url, name);
    packages.set(area, (packages.get(area) ?? 0) + us);
  }
  const toRow = (name: string, where: string, us: number): SelfTime => ({
    name,
    where,
    selfMs: us / 1000,
    percent: (us / totalUs) * 100,
  });
  return {
    totalMs: totalUs / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => toRow(entry.name, entry.where, entry.us)),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, us]) => toRow(area, '', us)),
  };
}

/** A percentile of a list of numbers (nearest rank); undefined for an empty list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
