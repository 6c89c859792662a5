/**
 * Type checking runs once in `npm run typecheck`; jest only transpiles (swc), which keeps the suites fast.
 * NestJS 12 ships as ES modules only, and jest's CommonJS runtime on Node 20 cannot `require` them
 * (Node itself can: the built service runs them untransformed), so jest transpiles those packages too.
 */
const esmOnly = ['@nestjs', '@apidevtools', 'jose', 'file-type', 'strtok3', 'token-types', '@tokenizer', '@borewit', 'uint8array-extras'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.(spec|test)\\.ts$',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/config$': '<rootDir>/libs/config/src',
    '^@app/config/(.*)$': '<rootDir>/libs/config/src/$1',
    '^@app/domain$': '<rootDir>/libs/domain/src',
    '^@app/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@app/event-store$': '<rootDir>/libs/event-store/src',
    '^@app/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@app/read-models$': '<rootDir>/libs/read-models/src',
    '^@app/read-models/(.*)$': '<rootDir>/libs/read-models/src/$1',
    '^@app/personal-data$': '<rootDir>/libs/personal-data/src',
    '^@app/personal-data/(.*)$': '<rootDir>/libs/personal-data/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
