// Jest for canarykit unit tests: test/**/*.test.ts except the cluster tests
// (test/cluster/, which need a control plane: `npm run test:cluster`,
// jest.cluster.config.js). ts-jest runs transpile-only (isolatedModules in
// tsconfig.test.json) for speed; type checking is tsc's job:
//   npx tsc -p tsconfig.json --noEmit                             (src, imports)
//   npx tsc -p tsconfig.test.json --isolatedModules false          (+ test/)
/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
};
