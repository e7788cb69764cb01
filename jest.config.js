// Jest for canarykit unit tests: test/**/*.test.ts except the suites that need a
// control plane (test/cluster/: `npm run test:cluster`; test/e2e/: `npm run test:e2e`).
// ts-jest runs transpile-only (isolatedModules in tsconfig.test.json) for speed;
// `npm test` type-checks first with `tsc -p tsconfig.test.json`.
/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/', '<rootDir>/test/e2e/', '<rootDir>/test/argocd/', '<rootDir>/test/pulumi/'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
};
