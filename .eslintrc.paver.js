// Paver's ESLint config for one workspace: @backstage/cli's factory (as every Backstage package
// uses it) plus what differs here. Tests run on Vitest, whose API is Jest's; eslint-plugin-jest
// cannot detect a Jest version without Jest installed, so it is given one.
const createConfig = require('@backstage/cli/config/eslint-factory');

module.exports = dir =>
  createConfig(dir, {
    settings: { jest: { version: 29 } },
  });
