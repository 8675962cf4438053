// Each workspace has its own .eslintrc.js built by @backstage/cli's factory; this file only stops
// ESLint from looking further up the tree.
module.exports = {
  root: true,
};
