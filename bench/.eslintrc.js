// bench/ is not a workspace (its scripts run with tsx from the repository root), so the
// repository lint does not reach it; ./paverw test lints it with this config, as a Node library
// that runs from source (`__dirname` is where the file is).
module.exports = require('../.eslintrc.paver.js')(__dirname, {
  role: 'node-library',
  overrides: [{ files: ['**'], rules: { 'no-restricted-syntax': 'off' } }],
});
