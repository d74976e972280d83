/**
 * `npm run demo-tokens`: prints the simulator's demo bearer tokens (DEMO ONLY), one per line, for
 * copy-paste into an Authorization header.
 *   --sign              re-sign them with the published demo key (after changing its claims)
 *   --simulator <url>   mint a fresh token from a running simulator instead, with
 *                       [--issuer cxone|idp] [--sub <sub>] [--aud <aud>] [--scope "<scopes>"] [--ttl <seconds>]
 */
import { parseArgs } from 'node:util';
import { DEMO_SUBJECTS, DEMO_TOKENS } from '../src/simulator/demo-tokens.js';
import { signDemoTokens } from '../src/simulator/keys.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sign: { type: 'boolean', default: false },
      simulator: { type: 'string' },
      issuer: { type: 'string', default: 'cxone' },
      sub: { type: 'string' },
      aud: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  if (values.simulator !== undefined) {
    const response = await fetch(new URL('/__sim/tokens', values.simulator), {
      method: 'POST',
      body: JSON.stringify({
        issuer: values.issuer,
        expiresInSeconds: Number(values.ttl),
        ...(values.sub === undefined ? {} : { sub: values.sub }),
        ...(values.aud === undefined ? {} : { aud: values.aud }),
        ...(values.scope === undefined ? {} : { scope: values.scope }),
      }),
    });
    const body = (await response.json()) as { token?: string; message?: string };
    if (body.token === undefined) throw new Error(body.message ?? `simulator answered ${String(response.status)}`);
    process.stdout.write(`${body.token}\n`);
    return;
  }
  const tokens = values.sign ? await signDemoTokens(DEMO_SUBJECTS) : DEMO_TOKENS;
  for (const [name, token] of Object.entries(tokens)) process.stdout.write(`${name}\t${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
