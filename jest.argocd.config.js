// Jest config for the Argo CD suite (test/argocd/**/*.test.ts): real Argo CD (scripts/tools.sh argocd)
// syncs canarykit's app of apps from a local Git repository onto the test control plane, with the real
// Argo Rollouts controller running the canaries (see test/argocd/argocd.test.ts).
//   npm run test:argocd
const cluster = require('./jest.cluster.config');

/** @type {import('jest').Config} */
module.exports = {
  ...cluster,
  roots: ['<rootDir>/test/argocd'],
  testMatch: ['<rootDir>/test/argocd/**/*.test.ts'],
  // Per scenario (each sets its own, longer bound).
  testTimeout: 600000,
};
