/**
 * Starts one benchmark process, `bench/procs/<script>.ts` (the first argument), through tsx, then
 * drops tsx's module hooks once it is serving. With them in place, every `require` at run time goes
 * through tsx's resolver: Apollo Server requires `crypto` for each request's query hash, work a
 * production process (`node dist/main.js`) never does. Plain JavaScript: it runs before tsx.
 */
import process from 'node:process';
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

const unregister = register();
const [script] = process.argv.splice(2, 1);
// The process's top-level await resolves once it has reported its URL (bench/ipc.ts).
await import(new URL(`./${String(script)}.ts`, import.meta.url).href);
await unregister();
