import fs from 'node:fs';
import path from 'node:path';
import { loadTemplate } from './template';
import { renderTemplate, RenderProgress } from './write';
import { renderToMemory } from './render';
import { TargetNotEmptyError, TemplateInvalidError } from './errors';
import {
  makeFixture,
  readTree,
  writtenEntries,
} from './__testUtils__/fixtures';

const answers = { name: 'billing-api', owner: 'group:default/payments' };

describe('renderTemplate', () => {
  it('writes exactly the in-memory tree and reports each step', async () => {
    const fixture = makeFixture({
      skeleton: { 'src/index.ts.hbs': '// {{values.name}}', 'a.txt': 'a' },
    });
    const template = loadTemplate(fixture.dir);
    const events: RenderProgress[] = [];
    const targetDir = path.join(fixture.base, 'nested', 'billing-api');
    const result = await renderTemplate(template, answers, {
      targetDir,
      onProgress: e => events.push(e),
    });
    expect(readTree(targetDir)).toEqual(renderToMemory(template, answers));
    expect(result.files).toEqual([
      '.paver/answers.yaml',
      'a.txt',
      'src/index.ts',
    ]);
    expect(events).toEqual([
      { step: 'rendered', fileCount: 3 },
      { step: 'written', targetDir, fileCount: 3 },
    ]);
    expect(
      writtenEntries(fixture.base).filter(p => p.includes('.paver-')),
    ).toEqual([]);
  });

  it('renders into an existing empty folder', async () => {
    const fixture = makeFixture({ skeleton: { 'a.txt': 'a' } });
    const targetDir = path.join(fixture.base, 'empty');
    fs.mkdirSync(targetDir);
    await renderTemplate(loadTemplate(fixture.dir), answers, { targetDir });
    expect(fs.readFileSync(path.join(targetDir, 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses a non-empty target and leaves it untouched', async () => {
    const fixture = makeFixture({ skeleton: { 'a.txt': 'a' } });
    const targetDir = path.join(fixture.base, 'existing');
    fs.mkdirSync(targetDir);
    fs.writeFileSync(path.join(targetDir, 'mine.txt'), 'keep me');
    const before = writtenEntries(fixture.base);
    await expect(
      renderTemplate(loadTemplate(fixture.dir), answers, { targetDir }),
    ).rejects.toBeInstanceOf(TargetNotEmptyError);
    expect(writtenEntries(fixture.base)).toEqual(before);
    expect(fs.readFileSync(path.join(targetDir, 'mine.txt'), 'utf8')).toBe(
      'keep me',
    );
  });

  it('writes nothing when the last file fails to render', async () => {
    const fixture = makeFixture({
      skeleton: {
        'a.txt.hbs': '{{values.name}}',
        'zzz.txt.hbs': '{{values.missing}}',
      },
    });
    const before = writtenEntries(fixture.base);
    await expect(
      renderTemplate(loadTemplate(fixture.dir), answers, {
        targetDir: path.join(fixture.base, 'out'),
      }),
    ).rejects.toBeInstanceOf(TemplateInvalidError);
    expect(writtenEntries(fixture.base)).toEqual(before);
  });
});
