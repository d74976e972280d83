/**
 * The allowed imports between src/ folders, declared once and checked by `npm test` (lint:deps).
 * Data flows one way: resolvers -> loaders -> cache -> cxone client; the HTTP layer that replays
 * answers knows only the pipeline's policy; the simulator and dev tools stay out of production.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle makes two modules one: split what they share.', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'production-without-simulator',
      severity: 'error',
      comment: 'The production entry must not reach the simulator or dev tools (the image ships without them); src/dev/ injects the simulator.',
      from: { path: '^src/', pathNot: '^src/(simulator|dev)/' },
      to: { path: '^src/(simulator|dev)/' },
    },
    {
      name: 'resolvers-above-cxone',
      severity: 'error',
      comment: 'Resolvers read arguments and call loaders; CXone wire tables and links belong below.',
      from: { path: '^src/resolvers/' },
      to: { path: '^src/(cxone|cache|http)/' },
    },
    {
      name: 'callers-know-no-cxone',
      severity: 'error',
      comment: 'Who is calling is decided before and apart from any CXone call.',
      from: { path: '^src/callers/' },
      to: { path: '^src/(cxone|cache|loaders|resolvers|http)/' },
    },
    {
      name: 'cache-below-loaders',
      severity: 'error',
      comment: 'The cache stores what the client answered; it neither builds CXone errors nor knows the layers above.',
      from: { path: '^src/cache/' },
      to: { path: '^src/(cxone|loaders|resolvers|http|callers)/|^src/context\\.ts$' },
    },
    {
      name: 'cxone-below-everything',
      severity: 'error',
      comment: 'The CXone client is the bottom layer.',
      from: { path: '^src/cxone/' },
      to: { path: '^src/(cache|loaders|resolvers|http|callers|answers|telemetry)/|^src/(context|server|app|config|security)\\.ts$' },
    },
    {
      name: 'loaders-below-resolvers',
      severity: 'error',
      from: { path: '^src/loaders/' },
      to: { path: '^src/(resolvers|http|answers)/|^src/(context|server|app)\\.ts$' },
    },
    {
      name: 'replay-knows-only-the-policy',
      severity: 'error',
      comment: 'What replays answers obeys the policy the pipeline computed (src/answers/policy.ts) and knows no GraphQL rule.',
      from: { path: '^src/http/' },
      to: { path: '^src/(cxone|cache|loaders|resolvers|callers|telemetry)/|^src/(context|server|app|config|security|errors)\\.ts$|^src/answers/plugin\\.ts$' },
    },
    {
      name: 'config-reads-env-only',
      severity: 'error',
      comment: 'The configuration is validated values; it does not pull in the server or the client.',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^src/(cxone|cache|loaders|resolvers|http|callers|telemetry)/|^src/(security|server|app|context)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/__generated__/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
