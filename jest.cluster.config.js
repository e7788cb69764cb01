// Jest config for the cluster tests (test/cluster/**/*.test.ts): they start a
// real etcd + kube-apiserver (see test/cluster/cluster.ts), so they are kept
// out of the unit test run and executed one file at a time.
//   npm run test:cluster
const fs = require('fs');
const path = require('path');

const tsconfig = ['tsconfig.test.json', 'tsconfig.json']
  .map((f) => path.join(__dirname, f))
  .find((f) => fs.existsSync(f));

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  transform: {
    // Transpile-only like the unit tests when tsconfig.test.json is there
    // (type checking is tsc's job); otherwise the main tsconfig.
    '^.+\\.ts$': ['ts-jest', { tsconfig }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Two cores: never run two control planes at once.
  maxWorkers: 1,
  testTimeout: 300000,
};
