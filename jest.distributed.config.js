/**
 * `npm run test:distributed`: Conversa as separate OS processes (the built dist/), kept out of `jest`'s
 * default projects because it needs the whole machine for a couple of minutes; scripts/test.sh runs it last.
 */
const base = require('./jest.config.js');

const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  rootDir: __dirname,
  displayName: 'distributed',
  testMatch: ['<rootDir>/test/distributed/**/*.dist-spec.ts'],
  testTimeout: 600000,
};
