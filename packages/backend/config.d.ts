export interface Config {
  /** Paver-wide settings. */
  paver?: {
    /**
     * Which environment this config describes. Under "production" the backend refuses to start
     * with guest sign-in, an allow-all permission policy, or permissions disabled.
     * @default development
     */
    environment?: 'development' | 'production';
    permission?: {
      /**
       * "paver": reads open, tasks visible to their creator, deletions need ownership.
       * "allow-all": local experiments only.
       * @default paver
       */
      policy?: 'paver' | 'allow-all';
    };
  };
}
