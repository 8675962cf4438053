import fs from 'node:fs';
import path from 'node:path';
import { loadTemplate } from './template';
import { renderToMemory, ANSWERS_FILE } from './render';
import { makeFixture } from './__testUtils__/fixtures';
import { TemplateInvalidError } from './errors';

const answers = { name: 'billing-api', owner: 'group:default/payments' };
const text = (files: Map<string, Buffer>, p: string) =>
  files.get(p)?.toString('utf8');

describe('renderToMemory', () => {
  it('layers fragments in the listed order and the skeleton on top', () => {
    const { dir } = makeFixture({
      fragments: {
        base: { 'a.txt': 'base a', 'b.txt': 'base b', 'c.txt': 'base c' },
        extra: { 'b.txt': 'extra b', 'c.txt': 'extra c' },
      },
      skeleton: { 'c.txt': 'skeleton c' },
    });
    const files = renderToMemory(loadTemplate(dir), answers);
    expect(text(files, 'a.txt')).toBe('base a');
    expect(text(files, 'b.txt')).toBe('extra b');
    expect(text(files, 'c.txt')).toBe('skeleton c');
  });

  it('lets a skeleton file replace a fragment .hbs file at the same output path', () => {
    const { dir } = makeFixture({
      fragments: {
        base: { 'package.json.hbs': '{"name": {{{json values.name}}}}' },
      },
      skeleton: { 'package.json': '{"name": "fixed"}' },
    });
    const files = renderToMemory(loadTemplate(dir), answers);
    expect(text(files, 'package.json')).toBe('{"name": "fixed"}');
    expect(files.has('package.json.hbs')).toBe(false);
  });

  it('renders only .hbs files and strips the suffix; copies the rest byte for byte', () => {
    const binary = Buffer.from([0, 255, 1, 254, 123, 123]);
    const { dir } = makeFixture({
      skeleton: {
        'README.md.hbs': '# {{values.name}}',
        '.github/workflows/ci.yml':
          'run: echo ${{ github.sha }} {{values.name}}\n',
      },
    });
    fs.writeFileSync(`${dir}/skeleton/logo.bin`, binary);
    const files = renderToMemory(loadTemplate(dir), answers);
    expect(text(files, 'README.md')).toBe('# billing-api');
    expect(text(files, '.github/workflows/ci.yml')).toBe(
      'run: echo ${{ github.sha }} {{values.name}}\n',
    );
    expect(files.get('logo.bin')).toEqual(binary);
  });

  it('renders file and folder names', () => {
    const { dir } = makeFixture({
      skeleton: {
        'src/{{camelCase values.name}}/{{values.name}}.ts.hbs': 'export {};',
      },
    });
    const files = renderToMemory(loadTemplate(dir), answers);
    expect([...files.keys()]).toContain('src/billingApi/billing-api.ts');
  });

  it('gives the context values and template name and version, with every helper', () => {
    const { dir } = makeFixture({
      version: '2.3.4',
      skeleton: {
        'out.txt.hbs': [
          '{{template.name}}@{{template.version}}',
          '{{kebabCase "Billing API"}} {{camelCase values.name}} {{pascalCase values.name}}',
          '{{snakeCase values.name}} {{upperSnakeCase values.name}} {{json values.owner}}',
          '{{#if (eq values.lifecycle "experimental")}}exp{{/if}}',
          '{{entityName values.owner}} {{entityName "group:identity"}} {{entityName "platform"}}',
        ].join('\n'),
      },
    });
    const out = text(renderToMemory(loadTemplate(dir), answers), 'out.txt');
    expect(out).toBe(
      [
        'demo-service@2.3.4',
        'billing-api billingApi BillingApi',
        'billing_api BILLING_API "group:default/payments"',
        'exp',
        'payments identity platform',
      ].join('\n'),
    );
  });

  it('does not HTML-escape code, but escapes .html files', () => {
    const { dir } = makeFixture({
      skeleton: {
        'a.ts.hbs': 'const o = "{{values.owner}}";',
        'a.html.hbs': '<p>{{values.owner}}</p>',
      },
    });
    const files = renderToMemory(loadTemplate(dir), {
      ...answers,
      owner: 'a&b<c>',
    });
    expect(text(files, 'a.ts')).toBe('const o = "a&b<c>";');
    expect(text(files, 'a.html')).toBe('<p>a&amp;b&lt;c&gt;</p>');
  });

  it('writes .paver/answers.yaml with template, version and answers, without secrets', () => {
    const { dir } = makeFixture({ skeleton: { 'x.txt': 'x' } });
    const files = renderToMemory(loadTemplate(dir), {
      owner: 'o',
      token: 'ghp_secret',
      name: 'zeta-svc',
    });
    const yaml = text(files, ANSWERS_FILE)!;
    expect(yaml).not.toContain('ghp_secret');
    expect(yaml).toMatch(
      /^template: demo-service\nversion: 1\.2\.0\ndigest: sha256:[0-9a-f]{64}\nanswers:\n {2}lifecycle: experimental\n {2}name: zeta-svc\n {2}owner: o\n$/m,
    );
  });

  it('records the digest of the template source and the platform settings it rendered with', () => {
    const { dir } = makeFixture({ skeleton: { 'x.txt': 'x' } });
    const template = loadTemplate(dir);
    const platform = {
      npmRegistry: 'http://127.0.0.1:7007/api/scaffolder/paver/npm/',
      dashboardUrlPattern: null,
      githubOrg: 'acme',
    };
    const yaml = text(
      renderToMemory(template, answers, { platform }),
      ANSWERS_FILE,
    )!;
    expect(yaml).toContain(
      `digest: ${template.digest}\nplatform:\n  dashboardUrlPattern: null\n  githubOrg: acme\n`,
    );
    expect(loadTemplate(dir).digest).toBe(template.digest);
    fs.writeFileSync(path.join(dir, 'skeleton', 'x.txt'), 'y');
    expect(loadTemplate(dir).digest).not.toBe(template.digest);
  });

  it('gives the same bytes in sorted order for the same answers, whatever the key order', () => {
    const { dir } = makeFixture({
      fragments: { base: { 'z.txt.hbs': '{{values.name}}', 'a/b.txt': 'b' } },
      skeleton: { 'm.txt.hbs': '{{values.owner}}' },
    });
    const first = renderToMemory(loadTemplate(dir), answers);
    const second = renderToMemory(loadTemplate(dir), {
      owner: answers.owner,
      name: answers.name,
    });
    expect([...first.keys()]).toEqual([
      '.paver/answers.yaml',
      'a/b.txt',
      'm.txt',
      'z.txt',
    ]);
    expect([...second]).toEqual([...first]);
  });

  it('compiles each file once per loaded template and reuses it', () => {
    const { dir } = makeFixture({
      skeleton: { 'a.txt.hbs': '{{values.name}}' },
    });
    const template = loadTemplate(dir);
    renderToMemory(template, answers);
    const key = [...template.cache.keys()].find(k => k.endsWith('a.txt.hbs'))!;
    template.cache.set(key, () => 'from cache');
    expect(text(renderToMemory(template, answers), 'a.txt')).toBe('from cache');
    expect(
      text(renderToMemory(template, answers, { cache: false }), 'a.txt'),
    ).toBe('billing-api');
  });

  it('fails naming the file when a template references a value that does not exist', () => {
    const { dir } = makeFixture({
      skeleton: { 'src/x.ts.hbs': '{{values.nmae}}' },
    });
    expect(() => renderToMemory(loadTemplate(dir), answers)).toThrow(
      /skeleton\/src\/x\.ts\.hbs: "nmae" not defined/,
    );
  });

  it('refuses two files of one layer that render to the same path', () => {
    const { dir } = makeFixture({
      skeleton: { 'a.txt': 'plain', 'a.txt.hbs': 'rendered' },
    });
    expect(() => renderToMemory(loadTemplate(dir), answers)).toThrow(
      TemplateInvalidError,
    );
  });

  describe('platform settings', () => {
    const platform = {
      npmRegistry: 'https://npm.acme.test/paver/',
      dashboardUrlPattern: 'https://grafana.acme.test/d/svc?var-service={name}',
      githubOrg: 'acme',
    };
    const linkTemplate = () =>
      makeFixture({
        skeleton: {
          '.npmrc.hbs': '@paver:registry={{platform.npmRegistry}}\n',
          'links.txt.hbs':
            '{{#if platform.dashboardUrlPattern}}{{urlPattern platform.dashboardUrlPattern values.name}}{{else}}none{{/if}}',
        },
      }).dir;

    it('gives templates the organisation settings the caller passes', () => {
      const files = renderToMemory(loadTemplate(linkTemplate()), answers, {
        platform,
      });
      expect(text(files, '.npmrc')).toBe(
        '@paver:registry=https://npm.acme.test/paver/\n',
      );
      expect(text(files, 'links.txt')).toBe(
        'https://grafana.acme.test/d/svc?var-service=billing-api',
      );
    });

    it('leaves a link out when its pattern is not configured', () => {
      const files = renderToMemory(loadTemplate(linkTemplate()), answers, {
        platform: { ...platform, dashboardUrlPattern: null },
      });
      expect(text(files, 'links.txt')).toBe('none');
    });

    it('encodes the name it puts into a URL pattern', () => {
      const { dir } = makeFixture({
        skeleton: {
          'x.txt.hbs':
            '{{urlPattern platform.dashboardUrlPattern values.team}}',
        },
      });
      const files = renderToMemory(
        loadTemplate(dir),
        { ...answers, team: 'a/../b?x=1' },
        {
          platform: {
            ...platform,
            dashboardUrlPattern: 'https://d.test/{name}',
          },
        },
      );
      expect(text(files, 'x.txt')).toBe('https://d.test/a%2F..%2Fb%3Fx%3D1');
    });

    it('fails naming the setting when a template reads one and none were given', () => {
      expect(() =>
        renderToMemory(loadTemplate(linkTemplate()), answers),
      ).toThrow(
        /skeleton\/\.npmrc\.hbs: the template reads platform\.npmRegistry, but the render was given no platform settings/,
      );
    });
  });
});
