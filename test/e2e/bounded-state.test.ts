/**
 * Per-tenant state stays bounded: even 400 verified tenants (tokens the simulator signs,
 * one tenant claim each) cannot grow the metric series (or /metrics) without limit: a bound of 100.
 */
import { describe, expect, it } from 'vitest';
import { bulkContactId } from '../../src/simulator/index.js';
import { gql } from '../helpers/graphql.js';
import { startStack } from '../helpers/stack.js';

describe('bounded per-tenant state', () => {
  it('400 tenant claims leave at most 100 tenant series in /metrics', async () => {
    const stack = await startStack({ env: { CXONE_RATE_LIMIT: '150' } });
    try {
      const metricsUrl = stack.app.url.replace('/graphql', '/metrics');
      const before = (await (await fetch(metricsUrl)).text()).length;
      for (let i = 0; i < 400; i += 1) {
        await gql(stack.app.url, `{ recording(acdContactId: "${bulkContactId(1 + (i % 50))}") { acdContactId } }`, {
          token: await stack.simulator.mintToken({ tenantId: `tenant-${String(i)}` }),
        });
      }
      const page = await (await fetch(metricsUrl)).text();
      const series = page.split('\n').filter((line) => line.startsWith('cxone_budget_remaining{'));
      console.info(`[state] /metrics ${String(before)} -> ${String(page.length)} bytes after 400 tenants; ${String(series.length)} budget series`);
      expect(series.length).toBeGreaterThan(0);
      expect(series.length).toBeLessThanOrEqual(100);
      expect(page).toContain('tenant-399');
      expect(page).not.toContain('tenant="tenant-0"');
    } finally {
      await stack.close();
    }
  });
});
