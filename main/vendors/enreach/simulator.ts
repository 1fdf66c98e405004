/**
 * Forwarding module: the simulator lives in `simulator/` (one concern per file, see
 * `simulator/index.ts`). It stays only so that the tests outside this folder that still import
 * `vendors/enreach/simulator.js` keep working; once they import `vendors/enreach/simulator/index.js`,
 * delete it.
 */
export * from './simulator/index.js';
