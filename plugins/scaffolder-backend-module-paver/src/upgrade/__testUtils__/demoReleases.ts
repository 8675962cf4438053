import path from 'node:path';
import { TemplateReleases } from '@paver/golden-path';
import { makeTemplateRepo, templateYaml, textLines } from '@paver/test-utils';

/** What a fleet test adds to the demo golden path's two releases. */
export interface DemoReleasesOptions {
  /** Lines after the port in the rendered `app.txt`, the same in both releases. */
  appTail?: string[];
  /** Lines after 2.0.0's entry in its CHANGELOG.md (older entries). */
  olderChangelog?: string[];
}

/**
 * The releases of a `demo` golden path whose 2.0.0 moves the service's port from 3000 to 8080:
 * the upgrade the fleet tests open, locally and on GitHub. `app.txt` renders to the service's
 * name and its port; 2.0.0's changelog entry is `- port 8080`.
 */
export function demoReleases(
  options: DemoReleasesOptions = {},
): TemplateReleases {
  const { appTail = [], olderChangelog = [] } = options;
  const app = (port: number) =>
    textLines('{{values.name}}', `port ${port}`, ...appTail);
  const templatesRoot = makeTemplateRepo('demo', [
    {
      version: '1.0.0',
      files: {
        'template.yaml': templateYaml('demo', '1.0.0'),
        'skeleton/app.txt.hbs': app(3000),
      },
    },
    {
      version: '2.0.0',
      files: {
        'template.yaml': templateYaml('demo', '2.0.0'),
        'CHANGELOG.md': textLines(
          '# Changelog',
          '',
          '## 2.0.0',
          '',
          '- port 8080',
          ...olderChangelog,
        ),
        'skeleton/app.txt.hbs': app(8080),
      },
    },
  ]);
  return new TemplateReleases({ repoDir: path.dirname(templatesRoot) });
}
