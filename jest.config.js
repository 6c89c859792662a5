/** Type checking runs once in `npm run typecheck`; jest only transpiles, which keeps the suites fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.(spec|test)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/domain$': '<rootDir>/libs/domain/src',
    '^@app/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@app/event-store$': '<rootDir>/libs/event-store/src',
    '^@app/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@app/read-models$': '<rootDir>/libs/read-models/src',
    '^@app/read-models/(.*)$': '<rootDir>/libs/read-models/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
