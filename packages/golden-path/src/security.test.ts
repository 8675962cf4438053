// Regression tests for docs/reliability.md rows 1, 2, 4, 5 and 6 (rendering). Each case renders to
// a target inside a fresh temp folder and then checks that nothing at all was written.
import fs from 'node:fs';
import path from 'node:path';
import {
  TemplateInvalidError,
  UnsafePathError,
  UnsafeSymlinkError,
  GoldenPathError,
} from './errors';
import { compileTemplate } from './handlebars';
import { loadTemplate } from './template';
import { renderTemplate } from './write';
import { renderToMemory } from './render';
import { resolveSafeChildPath } from './paths';
import {
  makeFixture,
  objectPrototypeSnapshot,
  writtenEntries,
} from './__testUtils__/fixtures';

const answers = { name: 'billing-api', owner: 'group:default/payments' };

/** Renders and expects a refusal of `type`, with nothing written anywhere under the fixture. */
async function expectRefusedRender(
  fixture: ReturnType<typeof makeFixture>,
  values: Record<string, unknown>,
  type: new (...args: never[]) => GoldenPathError,
  message?: RegExp,
) {
  const before = writtenEntries(fixture.base);
  const attempt = (async () =>
    renderTemplate(loadTemplate(fixture.dir), values, {
      targetDir: path.join(fixture.base, 'work', 'out'),
    }))();
  await expect(attempt).rejects.toBeInstanceOf(type);
  if (message) await expect(attempt).rejects.toThrow(message);
  expect(writtenEntries(fixture.base)).toEqual(before);
}

describe('row 1: names that leave the target', () => {
  const fixture = () =>
    makeFixture({
      skeleton: { 'src/{{values.dir}}/x.txt': 'x', 'ok.txt': 'ok' },
      parametersYaml: `
  parameters:
    - properties:
        dir: { type: string }`,
    });

  it.each([
    ['a parent-folder climb', '../../escaped'],
    ['a bare ..', '..'],
    ['an absolute path', '/tmp/paver-escaped'],
    ['a NUL byte', 'a\0b'],
    ['a backslash path', '..\\..\\escaped'],
    ['an empty name', ''],
  ])(
    'rejects a file name rendering to %s before any write',
    async (_label, dir) => {
      await expectRefusedRender(fixture(), { dir }, UnsafePathError);
    },
  );

  it('resolveSafeChildPath refuses ../, absolute paths and NUL bytes, and accepts children', () => {
    expect(() => resolveSafeChildPath('/t', '../x')).toThrow(UnsafePathError);
    expect(() => resolveSafeChildPath('/t', 'a/../../x')).toThrow(
      UnsafePathError,
    );
    expect(() => resolveSafeChildPath('/t', '/etc/passwd')).toThrow(
      UnsafePathError,
    );
    expect(() => resolveSafeChildPath('/t', 'a\0b')).toThrow(UnsafePathError);
    expect(() => resolveSafeChildPath('/t', '.')).toThrow(UnsafePathError);
    expect(resolveSafeChildPath('/t', 'a/b.txt')).toBe('/t/a/b.txt');
  });
});

describe('row 2: skeleton symlinks', () => {
  function withLink(
    linkPath: string,
    target: string,
    extra: Record<string, string> = {},
  ) {
    const fixture = makeFixture({ skeleton: { 'ok.txt': 'ok', ...extra } });
    const full = path.join(fixture.dir, 'skeleton', linkPath);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.symlinkSync(target, full);
    return fixture;
  }

  it('refuses a symlink to a file outside the template', async () => {
    await expectRefusedRender(
      withLink('passwd', '/etc/passwd'),
      answers,
      UnsafeSymlinkError,
      /outside/,
    );
  });

  it('refuses a relative symlink climbing out of the template', async () => {
    const fixture = withLink('up', '../../../secret.txt');
    fs.writeFileSync(path.join(fixture.base, 'secret.txt'), 'secret');
    await expectRefusedRender(fixture, answers, UnsafeSymlinkError, /outside/);
  });

  it('refuses a symlink to a folder outside the template', () =>
    expectRefusedRender(withLink('etc', '/etc'), answers, UnsafeSymlinkError));

  it('refuses a chain a → b → /etc even though the first hop stays inside', async () => {
    const fixture = withLink('b', '/etc');
    fs.symlinkSync('b', path.join(fixture.dir, 'skeleton', 'a'));
    await expectRefusedRender(fixture, answers, UnsafeSymlinkError, /outside/);
  });

  it('refuses a dangling symlink', () =>
    expectRefusedRender(
      withLink('gone', 'missing.txt'),
      answers,
      UnsafeSymlinkError,
      /dangling/,
    ));

  it('refuses a symlink loop', async () => {
    const fixture = withLink('loop-a', 'loop-b');
    fs.symlinkSync('loop-a', path.join(fixture.dir, 'skeleton', 'loop-b'));
    await expectRefusedRender(fixture, answers, UnsafeSymlinkError);
  });

  it('copies a symlink that stays inside the template as a plain file', () => {
    const fixture = withLink('LICENSE', '../LICENSE.txt');
    fs.writeFileSync(path.join(fixture.dir, 'LICENSE.txt'), 'MIT');
    const files = renderToMemory(loadTemplate(fixture.dir), answers);
    expect(files.get('LICENSE')?.toString()).toBe('MIT');
  });
});

describe('row 4: Handlebars prototype and code-execution tricks', () => {
  const payloads: [string, string][] = [
    ['constructor.name', '{{constructor.name}}'],
    [
      'constructor.constructor call',
      '{{#with (constructor.constructor "globalThis.__paverPwned = 1")}}{{this}}{{/with}}',
    ],
    ['lookup of constructor', '{{lookup (lookup this "constructor") "name"}}'],
    [
      'lookup of __proto__',
      '{{#with (lookup this "__proto__")}}{{lookup this "toString"}}{{/with}}',
    ],
    ['values.__proto__', '{{values.__proto__}}'],
    // Handlebars hard-denies constructor/__proto__/__defineGetter__; these inherited members are
    // denied only by our allowProto*ByDefault: false settings.
    ['an inherited method via lookup', '{{lookup values "toString"}}'],
    ['an inherited method via a path', '{{#with values}}{{valueOf}}{{/with}}'],
    ['an inherited method in strict mode', '{{values.hasOwnProperty}}'],
    ['__defineGetter__ call', '{{__defineGetter__ "polluted" this}}'],
    [
      '__lookupGetter__ call',
      '{{#with (__lookupGetter__ "__proto__")}}{{this}}{{/with}}',
    ],
    [
      'the classic string.sub RCE chain',
      '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}' +
        '{{this.push (lookup string.sub "constructor")}}{{this.pop}}' +
        '{{#with string.split as |codelist|}}{{this.pop}}{{this.push "globalThis.__paverPwned = 1;"}}' +
        '{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}' +
        '{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
    ],
  ];

  it.each(payloads)(
    '%s: renders empty or fails, runs nothing, changes no prototype',
    (_label, body) => {
      const before = objectPrototypeSnapshot();
      const { dir } = makeFixture({ skeleton: { 'x.txt.hbs': body } });
      const outcome = renderOutcome(() =>
        renderToMemory(loadTemplate(dir), answers).get('x.txt')?.toString(),
      );
      // Refused as invalid, or rendered to nothing: never evaluated.
      expect(
        outcome.error === undefined ||
          outcome.error instanceof TemplateInvalidError,
        String(outcome.error),
      ).toBe(true);
      expect(outcome.output?.trim() ?? '').toBe('');
      expect(
        (globalThis as Record<string, unknown>).__paverPwned,
      ).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(objectPrototypeSnapshot()).toEqual(before);
    },
  );
});

describe('row 5: what reaches Handlebars.compile', () => {
  it('refuses an object (a forged AST) instead of a template string', () => {
    const forged = {
      type: 'Program',
      body: [{ type: 'ContentStatement', value: 'x', original: 'x' }],
    };
    expect(() => compileTemplate(forged, { source: 'forged' })).toThrow(
      /must be a string/,
    );
  });

  it('refuses a dynamic partial chosen by an answer', async () => {
    const fixture = makeFixture({
      skeleton: { 'x.txt.hbs': '{{> (lookup values "partial") }}' },
      parametersYaml: `
  parameters:
    - properties:
        partial: { type: string }`,
    });
    await expectRefusedRender(
      fixture,
      { partial: 'x' },
      TemplateInvalidError,
      /partials/,
    );
  });

  it('refuses static partials and partial blocks', () => {
    expect(() => compileTemplate('{{> header}}', { source: 't' })).toThrow(
      /partials/,
    );
    expect(() =>
      compileTemplate('{{#> layout}}x{{/layout}}', { source: 't' }),
    ).toThrow(/partials/);
  });
});

describe('row 6: answers carrying Handlebars syntax', () => {
  it('renders {{ }} inside an answer as text, in contents and in names', () => {
    const { dir } = makeFixture({
      skeleton: {
        'a.txt.hbs': 'desc: {{values.description}}',
        '{{values.description}}.txt': 'n',
      },
      parametersYaml: `
  parameters:
    - properties:
        description: { type: string }`,
    });
    const sneaky = '{{template.name}}{{values.description}}';
    const files = renderToMemory(loadTemplate(dir), { description: sneaky });
    expect(files.get('a.txt')?.toString()).toBe(`desc: ${sneaky}`);
    expect(files.has(`${sneaky}.txt`)).toBe(true);
  });
});

function renderOutcome(render: () => string | undefined): {
  output?: string;
  error?: unknown;
} {
  try {
    return { output: render() };
  } catch (error) {
    return { error };
  }
}
