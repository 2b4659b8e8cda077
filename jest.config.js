// One jest project per test tier. swc strips types and turns ESM into CommonJS, including the
// ESM-only dependencies listed in esmDependencies (jest's CommonJS runtime cannot load them as is).
const esmDependencies = ['@middy', 'jose'];

const shared = {
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmDependencies.join('|')})/)`],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @middy/* export only an `import` condition, which jest's CommonJS resolver ignores.
    '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
    // zod ships its locales as ESM (.js) and CommonJS (.cjs); jest takes the CommonJS one.
    '^zod/v4/locales/en\\.js$': 'zod/v4/locales/en.cjs',
  },
  testEnvironment: 'node',
};

const tier = (name, extra = {}) => ({
  ...shared,
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

export default {
  // A global option (jest ignores it per project): the saga and e2e tiers wait on real retries.
  testTimeout: 60_000,
  projects: [
    tier('unit'),
    tier('integration', {
      globalSetup: '<rootDir>/test/support/dynamodb-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/dynamodb-global-teardown.ts',
    }),
    tier('saga', {
      globalSetup: '<rootDir>/test/support/dynamodb-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/dynamodb-global-teardown.ts',
    }),
    tier('cdk'),
    tier('e2e', {
      globalSetup: '<rootDir>/test/support/sandbox-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/sandbox-global-teardown.ts',
    }),
  ],
};
