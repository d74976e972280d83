/**
 * The dev entry (`npm start`, the demo image's CMD): the production app, on the embedded CXone
 * simulator when no CXone is configured. Development and demos only; the production image has
 * neither this file nor the simulator.
 */
import { runApp } from '../run-app.js';
import { startDevApp } from './embedded-cxone.js';

runApp((config) => startDevApp(config));
