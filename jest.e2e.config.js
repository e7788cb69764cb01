// Jest config for the end-to-end canary tests (test/e2e/**/*.test.ts): a real
// control plane, kwok, the Argo Rollouts controller and Prometheus run the
// examples with the overlays of test/e2e/specs.ts (see test/e2e/canary.test.ts).
//   npm run test:e2e
const cluster = require('./jest.cluster.config');

/** @type {import('jest').Config} */
module.exports = {
  ...cluster,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  // Per scenario; the whole run is bounded by the sum (see canary.test.ts).
  testTimeout: 240000,
};
