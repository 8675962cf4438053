import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { probeService } from './__fixtures__/probe/service.js';
import { checkServiceContract } from './testing/index.js';
import { ContractError } from './errors.js';
import { checkContract, readOpenApi, type OpenApiDocument } from './openapi.js';

const probe = () =>
  readOpenApi(
    fileURLToPath(new URL('__fixtures__/probe/openapi.yaml', import.meta.url)),
  );
const ids = (doc: OpenApiDocument) =>
  Object.values(doc.paths).flatMap(item =>
    Object.values(item).map(op => (op as { operationId: string }).operationId),
  );

async function problemsOf(
  doc: OpenApiDocument,
  handlers: string[],
): Promise<string[]> {
  try {
    await checkContract(doc, handlers);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as ContractError).problems;
  }
}

describe('the contract check', () => {
  it('accepts a document whose every operation has a handler', async () => {
    const doc = probe();
    expect(await problemsOf(doc, ids(doc))).toEqual([]);
  });

  it('names an operation without a handler and a handler without an operation', async () => {
    const doc = probe();
    const handlers = ids(doc)
      .filter(id => id !== 'getItem')
      .concat('deleteItem');
    expect(await problemsOf(doc, handlers)).toEqual([
      'GET /items/{id}: operation getItem is documented but has no handler',
      'handler deleteItem has no operation in openapi.yaml',
    ]);
  });

  it('requires the runtime operations to be documented', async () => {
    const doc = probe();
    delete doc.paths['/metrics'];
    expect(await problemsOf(doc, ids(doc))).toContain(
      'GET /metrics: must be documented as operation metrics (the runtime serves it)',
    );
  });

  it('names where a document breaks the OpenAPI schema', async () => {
    const doc = probe();
    (doc.paths['/teapot'].get as Record<string, unknown>).responses = 'none';
    const problems = await problemsOf(doc, ids(doc));
    expect(
      problems.some(p => p.startsWith('/paths/~1teapot/get/responses')),
    ).toBe(true);
  });

  it('reports YAML syntax errors with their position', () => {
    const file = fileURLToPath(
      new URL('__fixtures__/broken.yaml', import.meta.url),
    );
    expect(() => readOpenApi(file)).toThrow(/\(yaml\): .* at line 4, column 1/);
  });
});

describe('the contract test of a service', () => {
  it('passes for a service whose handlers and schemas match its document', async () => {
    await expect(checkServiceContract(probeService)).resolves.toBeUndefined();
  });

  it('fails for a schema that does not compile, naming it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'paver-contract-'));
    try {
      const text = await readFile(
        new URL('__fixtures__/probe/openapi.yaml', import.meta.url),
        'utf8',
      );
      await writeFile(
        join(root, 'openapi.yaml'),
        text.replace('minLength: 1, maxLength: 50', 'minLength: one'),
      );
      const broken = { ...probeService, root: pathToFileURL(`${root}/`) };
      await expect(checkServiceContract(broken)).rejects.toThrow(/minLength/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
