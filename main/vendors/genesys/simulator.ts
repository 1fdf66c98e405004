/**
 * @deprecated The simulator is the folder `./simulator/` now: import `./simulator/index.js`. This
 * re-export keeps the importers outside the Genesys folder (the shell, canary and end-to-end tests)
 * compiling until they move; delete it then.
 */
export * from './simulator/index.js';
