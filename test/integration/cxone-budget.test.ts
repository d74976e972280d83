/**
 * The tenant request budget, alone and in front of a fake CXone: refusals are kind `budget` with no
 * upstream call, bulk yields to interactive, retries spend the budget and a separate retry allowance.
 */
import { pino } from 'pino';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBudget, LimiterBudget, retryPoints, reservedPoints } from '../../src/cxone/budget.js';
import { CxoneError, type CxoneResource } from '../../src/cxone/errors.js';
import { createMetrics } from '../../src/metrics.js';
import { voiceContact } from '../helpers/fake-cxone.js';
import { metricValue, rejectionOf, scope, startHarness, type Harness, type HarnessOptions } from '../helpers/cxone-harness.js';

const CONTACTS = '/media-playback/v1/contacts';
const ID = '600012345678';
const resource: CxoneResource = { kind: 'contact', acdContactId: ID };

let harness: Harness | undefined;

async function start(options: HarnessOptions): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

afterEach(async () => {
  const current = harness;
  harness = undefined;
  if (current === undefined) return;
  try {
    current.fake.assertDone();
  } finally {
    await current.close();
  }
});

function budgetError(error: unknown): CxoneError {
  expect(error).toBeInstanceOf(CxoneError);
  if (!(error instanceof CxoneError)) throw new Error('not a CxoneError');
  expect(error.kind).toBe('budget');
  expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  return error;
}

describe('createMemoryBudget', () => {
  it('keeps a reserve for interactive lookups: bulk is refused first', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const budget = createMemoryBudget({ limit: 5, windowSeconds: 60, interactiveReserve: 0.2, metrics });

    for (let i = 0; i < 4; i += 1) await budget.take('t1', 'bulk', 'first', resource);
    budgetError(await rejectionOf(budget.take('t1', 'bulk', 'first', resource)));
    await budget.take('t1', 'interactive', 'first', resource);
    budgetError(await rejectionOf(budget.take('t1', 'interactive', 'first', resource)));

    expect(await metricValue(metrics.budgetRejections, { priority: 'bulk' })).toBe(1);
    expect(await metricValue(metrics.budgetRejections, { priority: 'interactive' })).toBe(1);
    expect(await metricValue(metrics.budgetRemaining, { tenant: 't1' })).toBe(0);
  });

  it('a refused bulk call gives its point back', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const budget = createMemoryBudget({ limit: 10, windowSeconds: 60, interactiveReserve: 0.5, metrics });

    for (let i = 0; i < 5; i += 1) await budget.take('t1', 'bulk', 'first', resource);
    for (let i = 0; i < 3; i += 1) await rejectionOf(budget.take('t1', 'bulk', 'first', resource));
    // All five reserved points are still there for interactive callers.
    for (let i = 0; i < 5; i += 1) await budget.take('t1', 'interactive', 'first', resource);
    await rejectionOf(budget.take('t1', 'interactive', 'first', resource));
  });

  it('counts each tenant on its own', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const budget = createMemoryBudget({ limit: 1, windowSeconds: 60, metrics });

    await budget.take('t1', 'interactive', 'first', resource);
    await budget.take('t2', 'interactive', 'first', resource);
    budgetError(await rejectionOf(budget.take('t1', 'interactive', 'first', resource)));
  });

  it('limit 0 is off: it never refuses', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const budget = createMemoryBudget({ limit: 0, windowSeconds: 60, metrics });

    for (let i = 0; i < 500; i += 1) await budget.take('t1', i % 2 === 0 ? 'bulk' : 'interactive', i % 3 === 0 ? 'retry' : 'first', resource);
    expect(await metricValue(metrics.budgetRejections)).toBe(0);
  });

  it('retries spend the budget and a retry allowance of about 10% of it', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const budget = createMemoryBudget({ limit: 20, windowSeconds: 60, metrics });
    expect(retryPoints(20)).toBe(2);
    expect(reservedPoints(20)).toBe(4);

    await budget.take('t1', 'interactive', 'retry', resource);
    await budget.take('t1', 'interactive', 'retry', resource);
    const refused = budgetError(await rejectionOf(budget.take('t1', 'interactive', 'retry', resource)));

    expect(refused.message).toContain('retry allowance');
    expect(await metricValue(metrics.budgetRemaining, { tenant: 't1' })).toBe(18);
    // First attempts are unaffected by the spent retry allowance.
    await budget.take('t1', 'interactive', 'first', resource);
  });

  it('a retry the main budget refuses does not use up the retry allowance', async () => {
    const metrics = createMetrics({ collectDefaults: false });
    const retryLimiter = new RateLimiterMemory({ keyPrefix: 'r', points: 5, duration: 60 });
    const budget = new LimiterBudget({
      limit: 2,
      windowSeconds: 60,
      retryShare: 1,
      metrics,
      limiter: new RateLimiterMemory({ keyPrefix: 'm', points: 2, duration: 60 }),
      retryLimiter,
    });

    await budget.take('t1', 'interactive', 'first', resource);
    await budget.take('t1', 'interactive', 'first', resource);
    budgetError(await rejectionOf(budget.take('t1', 'interactive', 'retry', resource)));

    const left: RateLimiterRes | null = await retryLimiter.get('t1');
    expect(left?.consumedPoints ?? 0).toBe(0);
  });

  it('fails open when its store fails, and logs no store details', async () => {
    class BrokenLimiter extends RateLimiterMemory {
      override consume(): Promise<RateLimiterRes> {
        return Promise.reject(new Error('connect ECONNREFUSED redis://user:store-pass@10.0.0.1:6379'));
      }
    }
    const lines: string[] = [];
    const metrics = createMetrics({ collectDefaults: false });
    const budget = new LimiterBudget({
      limit: 1,
      windowSeconds: 60,
      metrics,
      logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }),
      limiter: new BrokenLimiter({ points: 1, duration: 60 }),
      retryLimiter: new BrokenLimiter({ points: 1, duration: 60 }),
    });

    await budget.take('t1', 'interactive', 'first', resource);
    await budget.take('t1', 'interactive', 'first', resource);

    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('store-pass');
  });

  it('refuses bad tuning at construction', () => {
    const metrics = createMetrics({ collectDefaults: false });
    expect(() => createMemoryBudget({ limit: -1, windowSeconds: 60, metrics })).toThrow(RangeError);
    expect(() => createMemoryBudget({ limit: 1, windowSeconds: 0, metrics })).toThrow(RangeError);
  });
});

describe('the budget in front of CXone', () => {
  it('a spent budget refuses with kind budget and no upstream call', async () => {
    const { fake, client, metrics } = await start({
      // One caller here: its share is the whole budget, so the tenant's limit is what refuses.
      budget: (m) => createMemoryBudget({ limit: 2, windowSeconds: 60, callerShare: 1, metrics: m }),
    });
    fake.on('GET', CONTACTS, { status: 200, json: voiceContact(ID) }, { status: 200, json: voiceContact(ID) });

    await client.getContact(ID, 'ALL', scope());
    await client.getContact(ID, 'ALL', scope());
    budgetError(await rejectionOf(client.getContact(ID, 'ALL', scope())));

    expect(fake.calls('GET', CONTACTS)).toHaveLength(2);
    expect(await metricValue(metrics.upstreamCalls)).toBe(2);
  });

  it('bulk reporting is refused before interactive lookups', async () => {
    const { fake, client } = await start({
      budget: (m) => createMemoryBudget({ limit: 5, windowSeconds: 60, interactiveReserve: 0.2, callerShare: 1, metrics: m }),
    });
    fake.always('GET', CONTACTS, { status: 200, json: voiceContact(ID) });
    const bulk = scope({ priority: 'bulk' });

    for (let i = 0; i < 4; i += 1) await client.getContact(ID, 'ALL', bulk);
    budgetError(await rejectionOf(client.getContact(ID, 'ALL', bulk)));
    await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(5);
  });

  it('one caller past its share is refused while another caller goes on', async () => {
    const { fake, client, metrics } = await start({
      budget: (m) => createMemoryBudget({ limit: 10, windowSeconds: 60, callerShare: 0.5, metrics: m }),
    });
    fake.always('GET', CONTACTS, { status: 200, json: voiceContact(ID) });
    const greedy = scope({ callerId: 'greedy' });

    for (let i = 0; i < 5; i += 1) await client.getContact(ID, 'ALL', greedy);
    const refused = budgetError(await rejectionOf(client.getContact(ID, 'ALL', greedy)));
    expect(refused.message).toMatch(/share/);
    for (let i = 0; i < 5; i += 1) await client.getContact(ID, 'ALL', scope({ callerId: 'patient' }));

    expect(fake.calls('GET', CONTACTS)).toHaveLength(10);
    expect(await metricValue(metrics.upstreamCalls)).toBe(10);
  });

  it('a 401 or 403 from CXone spends no shared budget', async () => {
    const { fake, client } = await start({
      budget: (m) => createMemoryBudget({ limit: 2, windowSeconds: 60, callerShare: 1, metrics: m }),
    });
    fake.on('GET', CONTACTS, { status: 401 }, { status: 403 }, { status: 401 }, { status: 200, json: voiceContact(ID) }, { status: 200, json: voiceContact(ID) });

    for (let i = 0; i < 3; i += 1) await rejectionOf(client.getContact(ID, 'ALL', scope({ callerId: 'refused' })));
    await client.getContact(ID, 'ALL', scope());
    await client.getContact(ID, 'ALL', scope());

    expect(fake.calls('GET', CONTACTS)).toHaveLength(5);
  });

  it('retries are limited by the retry share: past it, the real failure comes back unretried', async () => {
    const { fake, client, metrics } = await start({
      resilience: { transientRetries: 2 },
      budget: (m) => createMemoryBudget({ limit: 20, windowSeconds: 60, retryShare: 0.1, metrics: m }),
    });
    fake.always('GET', CONTACTS, { status: 503 });

    const first = await rejectionOf(client.getContact(ID, 'ALL', scope()));
    const second = await rejectionOf(client.getContact(ID, 'ALL', scope()));

    expect(first).toMatchObject({ kind: 'http', status: 503 });
    expect(second).toMatchObject({ kind: 'http', status: 503 });
    // 1 + 2 retries, then 1 with the allowance (2 of 20) spent.
    expect(fake.calls('GET', CONTACTS)).toHaveLength(4);
    expect(await metricValue(metrics.upstreamRetries)).toBe(2);
    expect(await metricValue(metrics.budgetRemaining, { tenant: 't1' })).toBe(16);
  });

  it('a 202 that cannot get a retry point returns the 202, with retryAfterSeconds', async () => {
    const { fake, client } = await start({
      budget: (m) => createMemoryBudget({ limit: 1, windowSeconds: 60, metrics: m }),
    });
    fake.on('GET', CONTACTS, { status: 202 });

    const error = await rejectionOf(client.getContact(ID, 'ALL', scope()));

    expect(error).toMatchObject({ kind: 'http', status: 202 });
    expect(error instanceof CxoneError ? error.retryAfterSeconds : undefined).toBeGreaterThanOrEqual(1);
  });
});
