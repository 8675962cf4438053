/**
 * Organisation settings for renders in tests that never install what they render. Loopback
 * addresses on ports nothing listens on, so a test that does install by mistake fails at once
 * instead of reaching a host; tests that install start a real registry and pass its URL.
 */
export const TEST_PLATFORM = {
  npmRegistry: 'http://127.0.0.1:9/paver-npm/',
  dashboardUrlPattern: 'http://127.0.0.1:9/dashboards/{name}',
  githubOrg: 'acme',
} as const;
