/**
 * Three tiers: unit specs beside the code; integration and e2e against real
 * PostgreSQL and Redis. Nest 12 ships ESM, which Jest on Node 20 cannot require: @swc/jest
 * transforms it (and our TypeScript) to CommonJS.
 */
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|load-esm|uid|content-disposition|cookie)/)',
  ],
  moduleNameMapper: {
    '^@aduan/(platform|directory|audit|complaints|routing|sla|notifications)$': '<rootDir>/libs/$1/src',
  },
};

module.exports = {
  // A root option: Jest ignores testTimeout inside projects. Integration and e2e tests wait on
  // real queues, and a loaded 2-core CI machine is slower than a quiet laptop.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/(apps|libs|bench)/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts', '<rootDir>/test/regression/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    // Fault drills: the api and workers as processes of the built dist, with Redis servers and
    // PostgreSQL clusters of their own. FAULTS=all runs the full set (npm run test:faults).
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      globalSetup: '<rootDir>/test/faults/support/global-setup.ts',
    },
  ],
};
