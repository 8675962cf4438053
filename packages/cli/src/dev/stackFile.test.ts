import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { DevStackError } from '../errors';
import { readStackFile } from './stackFile';

function stackFile(text: string): string {
  const file = path.join(tempDirSync('paver-dev-stack-'), 'paver-dev.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('readStackFile', () => {
  it('resolves each path against the stack file and defaults env to none', () => {
    const file = stackFile(
      'services:\n  - path: ../billing-api\n  - path: /repos/auth-api\n    env: {ACCESS_TOKEN_SCOPES: "billing:read"}\n',
    );
    expect(readStackFile(file).services).toEqual([
      {
        path: path.resolve(path.dirname(file), '../billing-api'),
        env: {},
      },
      { path: '/repos/auth-api', env: { ACCESS_TOKEN_SCOPES: 'billing:read' } },
    ]);
  });

  it.each([
    ['services: []\n', 'services: Too small'],
    ['services:\n  - repo: x\n', 'services.0'],
    ['services:\n  - path: a\n    env: {"bad name": x}\n', 'services.0.env'],
    ['services:\n  - path: a\n    env: {PORT: 8080}\n', 'services.0.env.PORT'],
  ])('names the field at fault in %j', (text, field) => {
    const file = stackFile(text);
    expect(() => readStackFile(file)).toThrow(DevStackError);
    expect(() => readStackFile(file)).toThrow(`${file}: ${field}`);
  });

  it('says how to write one when there is none', () => {
    expect(() => readStackFile('/nowhere/paver-dev.yaml')).toThrow(
      '/nowhere/paver-dev.yaml: cannot be read (ENOENT); write one listing services',
    );
  });
});
