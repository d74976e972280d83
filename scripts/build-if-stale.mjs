#!/usr/bin/env node
/**
 * `npm start`, `npm run simulator` and `npm run federated` run this first: it builds (codegen +
 * tsc, ~30 s) only when an input changed since the last successful build, so a restart is instant.
 * Inputs: everything under src/ and the files that shape the build. The stamp is written only after
 * a build succeeds, so a failed build is retried next time. Plain Node (no tsx): it runs before
 * anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['src', 'schema.graphql', 'codegen.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** Newest modification time (ms) under a file or folder; generated code does not count. */
function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === '__generated__') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...inputs.map((input) => newest(join(root, input))));
if (built > changed) {
  process.stdout.write('dist/ is current: skipping the build (delete dist/ to force one)\n');
} else {
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
