import fs from 'node:fs';
import path from 'node:path';
import {
  gitIn,
  makeTemplateRepo,
  TEST_PLATFORM,
  tempDirSync,
  templateYaml,
} from '@paver/test-utils';
import { TemplateReleases } from '../releases';
import { renderToMemory } from '../render';
import { writeTree } from '../write';
import { serviceDrift } from './drift';

const templatesRoot = makeTemplateRepo('demo', [
  {
    version: '1.0.0',
    files: {
      'template.yaml': templateYaml('demo', '1.0.0'),
      'skeleton/a.txt.hbs': '{{values.name}}\n',
      'skeleton/b.txt': 'b\n',
    },
  },
  {
    version: '1.1.0',
    files: { 'template.yaml': templateYaml('demo', '1.1.0') },
  },
  {
    version: '1.2.0',
    files: { 'template.yaml': templateYaml('demo', '1.2.0') },
  },
]);
const releases = new TemplateReleases({ repoDir: path.dirname(templatesRoot) });

async function serviceAt(version: string) {
  const dir = tempDirSync('paver-drift-service-');
  const template = await releases.load('demo', version);
  await writeTree(
    dir,
    renderToMemory(template, { name: 'svc' }, { platform: TEST_PLATFORM }),
  );
  gitIn(dir, 'init', '-q');
  return dir;
}

describe('serviceDrift', () => {
  it('counts the releases a service is behind and finds none drifted when it is as rendered', async () => {
    expect(await serviceDrift(await serviceAt('1.0.0'), releases)).toEqual({
      template: 'demo',
      version: '1.0.0',
      latest: '1.2.0',
      behind: 2,
      drifted: [],
    });
    expect(
      (await serviceDrift(await serviceAt('1.2.0'), releases)).behind,
    ).toBe(0);
  });

  it('lists template files the team changed or deleted, and not files of its own', async () => {
    const dir = await serviceAt('1.1.0');
    fs.appendFileSync(path.join(dir, 'a.txt'), 'edited\n');
    fs.rmSync(path.join(dir, 'b.txt'));
    fs.writeFileSync(path.join(dir, 'own.txt'), 'ours\n');
    expect((await serviceDrift(dir, releases)).drifted).toEqual([
      'a.txt',
      'b.txt',
    ]);
  });
});
