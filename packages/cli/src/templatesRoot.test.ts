import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { TemplateNotFoundError } from '@paver/golden-path';
import { findTemplatesRoot } from './templatesRoot';

describe('findTemplatesRoot', () => {
  it('walks up to the folder with templates/ and a package.json named paver', () => {
    const base = tempDirSync('paver-root-');
    fs.writeFileSync(path.join(base, 'package.json'), '{"name":"paver"}');
    fs.mkdirSync(path.join(base, 'templates'));
    // A nested package with its own templates/ but another name is passed over.
    const nested = path.join(base, 'packages', 'other');
    fs.mkdirSync(path.join(nested, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(nested, 'package.json'), '{"name":"other"}');
    expect(findTemplatesRoot(path.join(nested, 'templates'))).toBe(
      path.join(base, 'templates'),
    );
  });

  it('says what it looked for when there is no repository above', () => {
    const lonely = tempDirSync('paver-lonely-');
    expect(() => findTemplatesRoot(lonely)).toThrow(TemplateNotFoundError);
    expect(() => findTemplatesRoot(lonely)).toThrow(/pass --templates/);
  });
});
