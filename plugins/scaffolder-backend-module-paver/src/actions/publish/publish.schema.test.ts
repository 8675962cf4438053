import { parsePublishInput } from './publish.schema';

const valid = { name: 'billing-api', owner: 'group:default/payments' };

describe('paver:repo:publish input', () => {
  it('accepts a name, an owning group and the optional description and provider', () => {
    expect(
      parsePublishInput({
        ...valid,
        description: 'Bills customers',
        provider: 'local',
      }),
    ).toEqual({
      ...valid,
      description: 'Bills customers',
      provider: 'local',
    });
  });

  it.each([
    ['Billing', 'uppercase'],
    ['1billing', 'a leading digit'],
    ['billing api', 'a space'],
    ['b', 'too short'],
    ['a'.repeat(41), 'too long'],
    ['../billing', 'a path'],
  ])('rejects the name %j (%s)', name => {
    expect(() => parsePublishInput({ ...valid, name })).toThrow(
      /^name: must match/,
    );
  });

  it('rejects a reserved name', () => {
    expect(() => parsePublishInput({ ...valid, name: 'backstage' })).toThrow(
      'name: is reserved',
    );
  });

  it('rejects an owner that is not a group ref', () => {
    expect(() =>
      parsePublishInput({ ...valid, owner: 'user:default/priya.raman' }),
    ).toThrow(/^owner: must be a Group/);
  });

  it('rejects a description on two lines', () => {
    expect(() =>
      parsePublishInput({ ...valid, description: 'one\ntwo' }),
    ).toThrow('description: must be one line');
  });

  it('rejects an unknown provider', () => {
    expect(() => parsePublishInput({ ...valid, provider: 'gitlab' })).toThrow(
      /^provider: /,
    );
  });

  it('rejects the stock publish key names so a template typo is caught', () => {
    expect(() =>
      parsePublishInput({ ...valid, repoName: 'billing-api' }),
    ).toThrow(/repoName/);
  });
});
