// The real bin, spawned as a user runs it (stdin is not a TTY).
import fs from 'node:fs';
import path from 'node:path';
import { makeWorkspace, readTree, runPaver } from './__testUtils__/fixture';

describe('paver new', () => {
  it('creates a service from --answers and --set, printing each step', () => {
    const { base } = makeWorkspace();
    fs.writeFileSync(
      path.join(base, 'answers.yaml'),
      'name: billing-api\nowner: group:default/x\nreplicas: 2\n',
    );
    const result = runPaver(
      [
        'new',
        'demo-service',
        '--answers',
        'answers.yaml',
        '--set',
        'owner=group:default/payments',
        '--set',
        'replicas=3',
      ],
      base,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '✔ loaded template demo-service@1.4.0',
        '✔ validated answers',
        '✔ rendered 6 files',
        '✔ wrote ./billing-api',
        '',
      ].join('\n'),
    );
    const out = path.join(base, 'billing-api');
    expect(fs.readFileSync(path.join(out, 'src/billingApi.ts'), 'utf8')).toBe(
      'export const service = "billing-api";\nexport const replicas = 3;\n',
    );
    expect(
      fs.readFileSync(path.join(out, '.paver/answers.yaml'), 'utf8'),
    ).toContain(
      'answers:\n  lifecycle: experimental\n  name: billing-api\n  owner: group:default/payments\n  replicas: 3\n',
    );
  });

  it('fails listing every missing required answer when stdin is not a TTY, creating nothing', () => {
    const { base } = makeWorkspace();
    const result = runPaver(['new', 'demo-service', '--target', 'out'], base);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'paver: answers.name: is required (pass --answers <file> or --set key=value); ' +
        'answers.owner: is required (pass --answers <file> or --set key=value)\n',
    );
    expect(fs.existsSync(path.join(base, 'out'))).toBe(false);
  });

  it('rejects a reserved name in one line without a stack trace, and shows it with --debug', () => {
    const { base } = makeWorkspace();
    const args = [
      'new',
      'demo-service',
      '--set',
      'name=admin',
      '--set',
      'owner=o',
    ];
    const plain = runPaver(args, base);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe('paver: answers.name: "admin" is reserved\n');
    const debug = runPaver([...args, '--debug'], base);
    expect(debug.stderr).toMatch(
      /^paver: answers\.name: "admin" is reserved\nAnswersInvalidError: .*\n\s+at /,
    );
    expect(fs.readdirSync(base).sort()).toEqual(['package.json', 'templates']);
  });

  it('refuses a non-empty target and leaves it as it was', () => {
    const { base } = makeWorkspace();
    fs.mkdirSync(path.join(base, 'taken'));
    fs.writeFileSync(path.join(base, 'taken', 'keep.txt'), 'mine');
    const result = runPaver(
      ['new', 'demo-service', '--set', 'name=taken', '--set', 'owner=o'],
      base,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^paver: target .*taken exists and is not empty\n$/,
    );
    expect(readTree(path.join(base, 'taken')).map(([p]) => p)).toEqual([
      'keep.txt',
    ]);
    expect(fs.readdirSync(base).filter(n => n.includes('.paver-'))).toEqual([]);
  });

  it('finds templates/ by walking up from a subfolder', () => {
    const { base } = makeWorkspace();
    fs.mkdirSync(path.join(base, 'services'));
    const result = runPaver(
      ['new', 'demo-service', '--set', 'name=deep-svc', '--set', 'owner=o'],
      path.join(base, 'services'),
    );
    expect(result.code).toBe(0);
    expect(
      fs.existsSync(path.join(base, 'services', 'deep-svc', 'README.md')),
    ).toBe(true);
  });

  it('names an unknown template', () => {
    const { base } = makeWorkspace();
    const result = runPaver(['new', 'nope-service'], base);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^paver: no template at .*nope-service \(template.yaml is missing\)\n$/,
    );
  });
});

describe('paver template list', () => {
  it('prints name, version, title and description, and flags a broken template', () => {
    const { base, templatesRoot } = makeWorkspace();
    fs.mkdirSync(path.join(templatesRoot, 'broken-service'));
    fs.writeFileSync(
      path.join(templatesRoot, 'broken-service', 'template.yaml'),
      'kind: Component\n',
    );
    const result = runPaver(['template', 'list'], base);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'NAME            VERSION  TITLE         DESCRIPTION',
        'broken-service  -        -             (invalid: ' +
          `${path.join(
            templatesRoot,
            'broken-service',
            'template.yaml',
          )}: kind must be Template, got Component)`,
        'demo-service    1.4.0    Demo service  A small service for CLI tests',
        '',
      ].join('\n'),
    );
  });
});
