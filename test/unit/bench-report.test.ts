/**
 * The benchmark's pure report helpers (bench/report.ts): ratios, table cells, the best round and
 * the CPU profile summary. No timing here.
 */
import { describe, expect, it } from 'vitest';
import { areaOf, bestRun, markdownTable, num, percentile, ratio, summarizeProfile, type CpuProfile } from '../../bench/report.js';

describe('ratio', () => {
  it('divides and keeps two significant figures below 1, two decimals below 10, none above', () => {
    expect(ratio(85, 100)).toBe('0.85x');
    expect(ratio(1, 300)).toBe('0.0033x');
    expect(ratio(250, 100)).toBe('2.50x');
    expect(ratio(1234, 10)).toBe('123x');
  });

  it('says n/a for a missing figure or a zero base', () => {
    expect(ratio(undefined, 10)).toBe('n/a');
    expect(ratio(10, undefined)).toBe('n/a');
    expect(ratio(10, 0)).toBe('n/a');
    expect(ratio(Number.NaN, 10)).toBe('n/a');
  });
});

describe('table cells', () => {
  it('formats numbers with decimals below 100 only', () => {
    expect(num(12.345)).toBe('12.3');
    expect(num(12.345, 2)).toBe('12.35');
    expect(num(1234.5)).toBe('1235');
    expect(num(undefined)).toBe('n/a');
  });

  it('builds a markdown table and escapes pipes', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  });

  it('keeps the round with the most requests per second', () => {
    expect(bestRun([{ rps: 3, id: 'a' }, { rps: 7, id: 'b' }, { rps: 5, id: 'c' }])?.id).toBe('b');
    expect(bestRun([])).toBeUndefined();
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([1812, 1592, 2270], 50)).toBe(1812);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('summarizeProfile', () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('defaultDeserialize', 'file:///app/node_modules/@keyv/serialize/dist/index.js', 45) },
      { id: 3, callFrame: frame('executeFields', 'file:///app/node_modules/graphql/execution/execute.js', 650) },
      { id: 4, callFrame: frame('getOrLoad', 'file:///app/dist/cache/recording-cache.js', 60) },
      { id: 5, callFrame: frame('(garbage collector)', '') },
    ],
    // timeDeltas[i] precedes sample i, so sample i is charged timeDeltas[i + 1].
    samples: [2, 2, 3, 4, 5, 2],
    timeDeltas: [0, 300, 300, 100, 200, 100, 999],
    startTime: 0,
    endTime: 2_000,
  };

  it('charges each sample the time until the next one, by function and by package', () => {
    const summary = summarizeProfile(profile, 10);
    expect(summary.totalMs).toBeCloseTo(1.999, 6);
    expect(summary.functions[0]).toMatchObject({ name: 'defaultDeserialize', where: '@keyv/serialize/dist/index.js:46' });
    expect(summary.functions[0]?.selfMs).toBeCloseTo(1.599, 6);
    expect(summary.packages.map((row) => row.name)).toEqual([
      '@keyv/serialize',
      'dist/cache',
      'graphql',
      '(garbage collector)',
    ]);
    const percent = summary.packages.reduce((sum, row) => sum + row.percent, 0);
    expect(percent).toBeCloseTo(100, 6);
  });

  it('shortens locations to the package or our folder', () => {
    const where = summarizeProfile(profile, 10).functions.map((row) => row.where);
    expect(where).toContain('graphql/execution/execute.js:651');
    expect(where).toContain('dist/cache/recording-cache.js:61');
  });

  it('keeps only the top entries', () => {
    expect(summarizeProfile(profile, 1).functions).toHaveLength(1);
  });

  it('names areas by package, node internals, our folders or V8 entries', () => {
    expect(areaOf('file:///x/node_modules/@apollo/server/dist/esm/a.js', 'f')).toBe('@apollo/server');
    expect(areaOf('file:///x/node_modules/express/lib/router.js', 'f')).toBe('express');
    expect(areaOf('node:internal/streams/writable', 'f')).toBe('node:internal');
    expect(areaOf('node:_http_outgoing', 'f')).toBe('node:_http_outgoing');
    expect(areaOf('file:///work/main/src/resolvers/DateTime.ts', 'toIso')).toBe('src/resolvers');
    expect(areaOf('file:///work/main/src/app.ts', 'startApp')).toBe('src');
    expect(areaOf('file:///work/main/dist/cache/recording-cache.js', 'getOrLoad')).toBe('dist/cache');
    expect(areaOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(areaOf('', 'writev')).toBe('(native)');
  });
});
