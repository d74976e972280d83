/**
 * The production entry (the image's CMD, `node dist/main.js`): configuration -> app -> listen;
 * SIGTERM/SIGINT drain. It brings no CXone simulator: without CXONE_API_URL (or CXONE_TENANT_ID) it
 * refuses to start and says where the simulator is (src/dev/main.ts, the demo image).
 */
import { startApp } from './app.js';
import { runApp } from './run-app.js';

runApp((config) => startApp(config));
