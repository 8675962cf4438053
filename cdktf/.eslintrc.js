module.exports = require('../.eslintrc.paver.js')(__dirname, {
  runsFromSource: true,
  rules: {
    // A construct registers itself in its scope when it is made: `new X(scope, id)` is the idiom.
    'no-new': 'off',
  },
});
