import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.js';
import { renderText } from '../src/domain/template-text.js';
import { apiClient, expectOk, TEST_ENV, type Api } from './fixtures.js';

describe('rendering template text', () => {
  it('substitutes named variables, numbers included', () => {
    expect(renderText('{{ name }} has {{count}} items', { name: 'Ada', count: 3 }, 't')).toBe('Ada has 3 items');
  });

  it('names every missing variable', () => {
    expect(() => renderText('{{a}} {{b}} {{c}}', { b: 'x' }, 'welcome (email/en)')).toThrow(
      "template welcome (email/en) needs variables 'a', 'c'",
    );
  });

  it('inserts a value containing placeholders as text, never rendering it again', () => {
    expect(renderText('Hi {{name}}', { name: '{{secret}} {{constructor}}', secret: 'leak' }, 't')).toBe('Hi {{secret}} {{constructor}}');
  });

  it('treats inherited properties as missing, so a template cannot reach a prototype', () => {
    expect(() => renderText('{{constructor}}{{toString}}', {}, 't')).toThrow("needs variables 'constructor', 'toString'");
    expect(() => renderText('{{__proto__}}', {}, 't')).toThrow("needs variable '__proto__'");
  });

  it('refuses expressions and paths rather than evaluating them', () => {
    expect(() => renderText('{{user.name}}', { user: 'x' }, 't')).toThrow('malformed placeholder');
    expect(() => renderText('{{#each items}}x{{/each}}', {}, 't')).toThrow('malformed placeholder');
  });
});

describe('the template API', () => {
  let service: TestService;
  let api: Api;
  beforeAll(async () => {
    service = await startTestService({ env: TEST_ENV });
    api = apiClient(service);
  });
  afterAll(() => service?.stop());

  it('stores a template per key, channel and locale and lists its variables', async () => {
    const put = await expectOk(api.put('/templates/reset/email/en-GB', { subject: 'Reset for {{name}}', body: 'Use {{code}}, {{name}}.' }));
    expect(put).toEqual({ key: 'reset', channel: 'email', locale: 'en-GB', subject: 'Reset for {{name}}', body: 'Use {{code}}, {{name}}.', variables: ['name', 'code'] });
    await expectOk(api.put('/templates/reset/sms/en-GB', { body: 'Code {{code}}' }));
    expect((await expectOk(api.get('/templates/reset/email/en-GB'))).subject).toBe('Reset for {{name}}');
    expect((await expectOk(api.get('/templates/reset/sms/en-GB'))).body).toBe('Code {{code}}');
    expect((await api.get('/templates/reset/in_app/en-GB')).status).toBe(404);
  });

  it('replaces a template on a second PUT', async () => {
    await expectOk(api.put('/templates/bye/sms/en', { body: 'v1' }));
    await expectOk(api.put('/templates/bye/sms/en', { body: 'v2 {{x}}' }));
    expect(await expectOk(api.get('/templates/bye/sms/en'))).toMatchObject({ body: 'v2 {{x}}', variables: ['x'] });
  });

  it.each([
    ['/templates/t/email/en', { body: 'no subject' }, 'subject is required for email templates'],
    ['/templates/t/sms/en', { body: 'Hi {{ first name }}' }, "body has a malformed placeholder '{{ first name }}'; use {{ name }} with letters, digits and _"],
    ['/templates/t/fax/en', { body: 'x' }, 'channel must be one of email, sms, in_app'],
    ['/templates/t/sms/EN', { body: 'x' }, "locale must look like 'en' or 'en-GB'"],
    ['/templates/digest/sms/en', { body: '{{count}} for {{name}}' }, 'a digest template may use only {{count}} and {{items}}, not {{name}}'],
  ])('rejects PUT %s %j with a 400 naming the problem', async (path, body, message) => {
    const res = await api.put(path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });
});
