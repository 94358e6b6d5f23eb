/** Three suites: pure unit tests beside the code, integration and e2e on real PostgreSQL and Redis. */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true }, module: { type: 'commonjs' } }] };
// NestJS 12 and several of its dependencies ship ES modules. Node 20 loads them through require(esm);
// Jest (before Node 24.9) does not, so Jest compiles every "type": "module" package to CommonJS.
const fs = require('node:fs');
const path = require('node:path');
function esmPackages(dir = path.join(__dirname, 'node_modules')) {
  const found = [];
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? fs.readdirSync(path.join(dir, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8'));
        if (pkg.type === 'module') found.push(name);
      } catch {
        // not a package
      }
    }
  }
  return found;
}
const ESM_PACKAGES = esmPackages().map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const jsTransform = { '^.+\\.(ts|js|mjs|cjs)$': transform['^.+\\.ts$'] };
const common = {
  transform: jsTransform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testEnvironment: 'node',
  // web/ has its own dependencies and tests (vitest).
  modulePathIgnorePatterns: ['<rootDir>/web/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/env.ts'],
      testTimeout: 30000,
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/env.ts'],
      testTimeout: 60000,
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/env.ts'],
      testTimeout: 60000,
    },
  ],
};
