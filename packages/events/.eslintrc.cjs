module.exports = require('../../.eslintrc.paver.js')(__dirname, {
  runsFromSource: true,
});
