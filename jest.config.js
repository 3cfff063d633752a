// Two projects: fast unit tests of pure logic, and integration tests against real MinIO,
// RabbitMQ and Postgres, found by the global setup (environment, Docker, or infra/local).
const shared = {
  testEnvironment: 'node',
  // Sources are TypeScript; a stray compiled .js beside one must never shadow it.
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Transpile only: `tsc -b` type-checks everything, tests included, before jest runs.
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', transpilation: true }] },
  // Jest runs CommonJS; these dependencies ship only ES modules, so they are transpiled too.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleNameMapper: {
    '^@userpipe/shared$': '<rootDir>/shared/src/index.ts',
    '^@userpipe/shared/testing$': '<rootDir>/shared/src/testing/index.ts',
    '^@userpipe/ingest-worker/testing$': '<rootDir>/services/ingest-worker/src/testWorker.ts',
    // The console's browser modules import each other by their compiled names ('./links.js').
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/jest.summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{shared,services/*}/src/**/*.test.ts', '<rootDir>/services/query-api/console/src/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{shared,services/*}/src/**/*.int.test.ts'],
      globalSetup: '<rootDir>/shared/src/testing/globalSetup.ts',
      globalTeardown: '<rootDir>/shared/src/testing/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/shared/src/testing/integrationSetup.ts'],
      slowTestThreshold: 30,
    },
  ],
};
