export interface Config {
  paver?: {
    templates?: {
      /**
       * Folder holding the golden paths (`<dir>/<name>/template.yaml`). A relative path resolves
       * against the backend's working directory (packages/backend when started with `yarn start`).
       * @default ../../templates
       */
      dir?: string;
    };
    publish?: {
      /**
       * Where `paver:repo:publish` creates repositories when a step does not say: `local` makes a
       * bare git repository under `local.dataDir` (no network, no token); `github` creates it on
       * GitHub with the token from `integrations.github`.
       * @default local
       */
      provider?: 'local' | 'github';
      local?: {
        /**
         * Data folder for the local provider: bare repositories in `git/<name>.git`, read-only
         * checkouts the catalog reads in `checkouts/<name>/`. Relative to the backend's working
         * directory.
         * @default ../../.paver-data
         */
        dataDir?: string;
      };
      github?: {
        /**
         * Organisation (or user) that owns new repositories. Required when the provider is github.
         */
        owner?: string;
        /**
         * GitHub host; its token comes from the matching `integrations.github` entry, never from
         * here.
         * @default github.com
         */
        host?: string;
        /**
         * Visibility of new repositories.
         * @default private
         */
        visibility?: 'private' | 'public';
      };
    };
    /**
     * Test-only hooks for the reliability suite (src/reliability). Leave unset everywhere else.
     */
    testing?: {
      /**
       * TEST ONLY. After `paver:repo:publish` creates a task's repository and before it pushes, log
       * "paver.testing: created repository <name>; pausing <ms> ms before push" and wait this
       * long, so a test can kill the backend at exactly that point. 0 (no pause) when unset.
       * @default 0
       */
      pauseAfterRepoCreateMs?: number;
    };
  };
}
