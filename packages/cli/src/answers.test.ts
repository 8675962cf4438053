import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { tempDirSync } from '@paver/test-utils';
import {
  AnswersInvalidError,
  FieldPrompt,
  loadTemplate,
} from '@paver/golden-path';
import { applySets, completeAnswers, readAnswersFile } from './answers';
import { CliIo } from './io';
import { makeWorkspace } from './__testUtils__/fixture';

const template = () =>
  loadTemplate(path.join(makeWorkspace().templatesRoot, 'demo-service'));

function fakeIo(interactive: boolean, replies: Record<string, unknown> = {}) {
  const asked: string[] = [];
  const io: CliIo = {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    cwd: os.tmpdir(),
    interactive,
    ask: async (field: FieldPrompt, validate) => {
      asked.push(field.name);
      const reply = replies[field.name];
      expect(validate(reply)).toBe(true);
      return reply;
    },
  };
  return { io, asked };
}

describe('applySets', () => {
  it('types values by the schema and lets later pairs win', () => {
    expect(
      applySets(template(), { name: 'a-b' }, [
        'replicas=4',
        'name=c-d',
        'owner=x=y',
      ]),
    ).toEqual({
      name: 'c-d',
      replicas: 4,
      owner: 'x=y',
    });
  });

  it('rejects a pair without =', () => {
    expect(() => applySets(template(), {}, ['name'])).toThrow(
      /--set expects key=value/,
    );
  });
});

describe('completeAnswers', () => {
  it('fails listing the missing required fields when nobody can answer', async () => {
    const { io, asked } = fakeIo(false);
    await expect(
      completeAnswers(template(), { owner: 'o' }, io),
    ).rejects.toThrow(/^answers\.name: is required/);
    expect(asked).toEqual([]);
  });

  it('asks every unanswered field when a person is there', async () => {
    const { io, asked } = fakeIo(true, {
      name: 'asked-svc',
      lifecycle: 'production',
      replicas: 2,
    });
    const answers = await completeAnswers(template(), { owner: 'o' }, io);
    expect(asked).toEqual(['name', 'lifecycle', 'replicas', 'token']);
    expect(answers).toEqual({
      owner: 'o',
      name: 'asked-svc',
      lifecycle: 'production',
      replicas: 2,
    });
  });

  it('asks nothing when every required field is answered', async () => {
    const { io, asked } = fakeIo(true);
    await completeAnswers(template(), { owner: 'o', name: 'n-n' }, io);
    expect(asked).toEqual([]);
  });
});

describe('readAnswersFile', () => {
  it('refuses a file over 1 MB without parsing it', () => {
    const file = path.join(tempDirSync('paver-ans-'), 'big.yaml');
    fs.writeFileSync(file, `name: ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect(() => readAnswersFile(file)).toThrow(AnswersInvalidError);
  });
});
