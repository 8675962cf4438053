// Paver's ESLint config for one workspace: @backstage/cli's factory, as every Backstage package
// uses it, plus what differs here, each with its reason.
const {
  createConfigForRole,
  createPackageConfig,
} = require('@backstage/cli/config/eslint-factory');

// `runsFromSource`: the package is never bundled by `backstage-cli package build` (the CLI runs its
// sources through Backstage's node transform, cdktf compiles with tsc, test helpers are never
// shipped), so `__dirname` is where the file is and Backstage's rule against it does not apply.
const fromSource = {
  files: ['src/**'],
  rules: { 'no-restricted-syntax': 'off' },
};

// `role`: for a folder without a package.json (bench/), the Backstage role to lint it as.
module.exports = (dir, { runsFromSource = false, role, ...extra } = {}) =>
  (role
    ? createConfigForRole.bind(null, dir, role)
    : createPackageConfig.bind(null, dir))({
    overrides: [
      ...(runsFromSource ? [fromSource] : []),
      ...(extra.overrides ?? []),
    ],
    // Tests run on Vitest, whose API is Jest's; eslint-plugin-jest cannot detect a Jest version
    // without Jest installed.
    settings: { jest: { version: 29 } },
    ...extra,
    // Tests of URL validation feed it javascript: links on purpose.
    testRules: { 'no-script-url': 'off', ...extra.testRules },
    rules: {
      // Vitest's expect takes a failure message as its second argument.
      'jest/valid-expect': ['error', { maxArgs: 2 }],
      // Shared assertion helpers are named expect* (expectRefusedRender).
      'jest/expect-expect': [
        'warn',
        { assertFunctionNames: ['expect', 'expect*'] },
      ],
      // Files read top-down: the exported API first, the helpers it calls below. Hoisted function
      // declarations and closures over later bindings are safe; a use in the same scope before
      // its declaration (the temporal dead zone) is still an error.
      '@typescript-eslint/no-use-before-define': [
        'error',
        { functions: false, classes: false, variables: false, typedefs: false },
      ],
      ...extra.rules,
    },
  });
