// Jest config for the Pulumi tests (test/pulumi/**/*.test.ts): the real Pulumi engine and Kubernetes
// provider (scripts/tools.sh pulumi pulumi-kubernetes) deploy examples/pulumi's program, run inline by the
// Automation API, to a real control plane with the Argo Rollouts controller (test/cluster/cluster.ts).
//   npm run test:pulumi
const base = require('./jest.cluster.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/pulumi'],
  testMatch: ['<rootDir>/test/pulumi/**/*.test.ts'],
  // examples/pulumi imports canarykit by its package name, as a user's program does; here that is this
  // repository's source (in examples/pulumi, `npm install` copies it in).
  moduleNameMapper: {
    '^canarykit$': '<rootDir>/src/index.ts',
    '^canarykit/pulumi$': '<rootDir>/src/pulumi.ts',
  },
  testTimeout: 600000,
};
