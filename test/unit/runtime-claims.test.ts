/**
 * The Node lines we claim are the ones we prove: package.json's `engines`, the lines `.ci/run`
 * tests, the Dockerfile's base image, the README's sentence and the Node types the code is
 * checked against all say the same thing, so none of them drifts alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };
const engines = manifest.engines.node;

/** Each line of `engines`, written as `>=M.m.p <M+1`, one per `||`. */
const lines = engines.split('||').map((part) => {
  const match = /^\s*>=(\d+)\.(\d+)\.\d+ <(\d+)\s*$/.exec(part);
  if (match === null) throw new Error(`engines part "${part}" is not ">=M.m.p <M+1"`);
  const [major, minor, below] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (below !== major + 1) throw new Error(`engines part "${part}" spans more than one major`);
  return { major, minor };
});
const majors = lines.map((line) => line.major);
const oldest = lines.reduce((a, b) => (a.major <= b.major ? a : b));

describe('the Node lines claimed', () => {
  it('are exactly the lines .ci/run tests', () => {
    const tested = [...read('.ci/run').matchAll(/^node_runtime (\d+) /gm)].map((match) => Number(match[1]));
    expect(tested.sort((a, b) => a - b)).toEqual([...majors].sort((a, b) => a - b));
  });

  it('include the Dockerfile base image, the newest of them', () => {
    const bases = [...read('Dockerfile').matchAll(/^FROM node:(\d+)\S* AS /gm)].map((match) => Number(match[1]));
    expect(bases.length).toBeGreaterThan(0);
    expect(new Set(bases)).toEqual(new Set([Math.max(...majors)]));
  });

  it('start where the README says they start', () => {
    expect(read('README.md')).toContain(`Node ${String(oldest.major)} (${String(oldest.major)}.${String(oldest.minor)} or later)`);
  });

  it('type the code against the oldest line, so it uses no API a supported Node lacks', () => {
    const types = /^\^(\d+)\./.exec(manifest.devDependencies['@types/node'] ?? '');
    expect(Number(types?.[1])).toBe(oldest.major);
  });
});
