import fs from 'node:fs';
import path from 'node:path';
import { listTemplates, loadTemplate } from './template';
import { TemplateInvalidError, TemplateNotFoundError } from './errors';
import { makeFixture, writeFiles } from './__testUtils__/fixtures';

describe('loadTemplate', () => {
  it('reads name, version, title, description, fragments and merged parameters', () => {
    const { dir } = makeFixture({
      version: '3.1.0',
      fragments: { base: { 'x.txt': 'x' } },
    });
    const template = loadTemplate(dir);
    expect(template).toMatchObject({
      name: 'demo-service',
      version: '3.1.0',
      title: 'Demo service',
      description: 'A service for tests',
      fragments: ['base'],
    });
    expect(Object.keys(template.parameters.properties as object)).toEqual([
      'name',
      'owner',
      'lifecycle',
      'token',
    ]);
    expect(template.parameters.required).toEqual(['name', 'owner']);
    expect(template.layers.map(l => l.label)).toEqual([
      'fragment:base',
      'skeleton',
    ]);
  });

  it('throws TemplateNotFoundError for a folder without template.yaml', () => {
    const { base } = makeFixture();
    expect(() => loadTemplate(path.join(base, 'nope'))).toThrow(
      TemplateNotFoundError,
    );
  });

  it('throws TemplateNotFoundError for a missing fragment, naming it', () => {
    const { dir, root } = makeFixture({
      fragments: { base: { 'x.txt': 'x' } },
    });
    fs.rmSync(path.join(root, '_fragments', 'base'), { recursive: true });
    expect(() => loadTemplate(dir)).toThrow(/fragment "base" not found/);
  });

  it('refuses a fragment name that climbs out of _fragments', () => {
    const { dir } = makeFixture();
    const file = path.join(dir, 'template.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('fragments: ""', 'fragments: "../../etc"'),
    );
    expect(() => loadTemplate(dir)).toThrow(TemplateInvalidError);
  });

  /** The fixture with one more annotation beside its fragments. */
  const withAnnotation = (annotation: string, value: string) => {
    const { dir } = makeFixture();
    const file = path.join(dir, 'template.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(
          'paver.dev/fragments: ""',
          `paver.dev/fragments: ""\n    ${annotation}: ${JSON.stringify(
            value,
          )}`,
        ),
    );
    return dir;
  };
  const withGeneratedSecrets = (value: string) =>
    withAnnotation('paver.dev/generated-secrets', value);

  it('reads the settings a golden path generates, with their secret-store names', () => {
    const dir = withGeneratedSecrets('KEYS_ADMIN_TOKEN,  INTROSPECTION_TOKEN');
    expect(loadTemplate(dir).generatedSecrets).toEqual([
      { env: 'KEYS_ADMIN_TOKEN', name: 'keys-admin-token' },
      { env: 'INTROSPECTION_TOKEN', name: 'introspection-token' },
    ]);
    expect(loadTemplate(makeFixture().dir).generatedSecrets).toEqual([]);
  });

  it('refuses a generated secret that is not an environment variable name, naming it', () => {
    const dir = withGeneratedSecrets('KEYS_ADMIN_TOKEN, ../etc/passwd');
    expect(() => loadTemplate(dir)).toThrow(
      'metadata.annotations["paver.dev/generated-secrets"]: "../etc/passwd" is not an environment variable name',
    );
  });

  it('reads the answers naming the services a golden path receives events from, and refuses one it does not ask for', () => {
    expect(
      loadTemplate(withAnnotation('paver.dev/event-sources', ' name '))
        .eventSourceAnswers,
    ).toEqual(['name']);
    expect(loadTemplate(makeFixture().dir).eventSourceAnswers).toEqual([]);
    expect(() =>
      loadTemplate(
        withAnnotation('paver.dev/event-sources', 'name, billingService'),
      ),
    ).toThrow(
      'metadata.annotations["paver.dev/event-sources"] names billingService, which the template does not ask for',
    );
  });

  it('refuses a version that is not semver', () => {
    const { dir } = makeFixture({ version: 'latest' });
    expect(() => loadTemplate(dir)).toThrow(/must be a semver version/);
  });

  it('refuses an entity that is not a Template', () => {
    const { dir } = makeFixture();
    const file = path.join(dir, 'template.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('kind: Template', 'kind: Component'),
    );
    expect(() => loadTemplate(dir)).toThrow(/kind must be Template/);
  });
});

describe('listTemplates', () => {
  it('lists templates by name, skipping _fragments and folders without template.yaml', () => {
    const { root } = makeFixture({
      name: 'zeta-service',
      fragments: { base: { a: 'a' } },
    });
    const other = makeFixture({ name: 'alpha-service' });
    fs.cpSync(other.dir, path.join(root, 'alpha-service'), { recursive: true });
    writeFiles(path.join(root, 'notes'), { 'README.md': 'not a template' });
    expect(listTemplates(root).map(t => t.name)).toEqual([
      'alpha-service',
      'zeta-service',
    ]);
  });

  it('throws TemplateNotFoundError for a missing templates folder', () => {
    expect(() => listTemplates('/nonexistent/templates')).toThrow(
      TemplateNotFoundError,
    );
  });
});
