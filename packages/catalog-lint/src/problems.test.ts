import { fieldPath, formatProblem } from './problems';

describe('formatProblem', () => {
  it('joins file, ref, field and message', () => {
    const problem = {
      file: 'catalog/groups/x.yaml',
      entityRef: 'group:default/x',
      field: 'spec.owner',
      message: 'is wrong',
    };
    expect(formatProblem(problem)).toBe(
      'catalog/groups/x.yaml: group:default/x: spec.owner: is wrong',
    );
  });

  it('leaves out the ref when the problem has none', () => {
    expect(
      formatProblem({
        file: 'catalog/a.yaml',
        field: '(file)',
        message: 'is broken',
      }),
    ).toBe('catalog/a.yaml: (file): is broken');
  });
});

describe('fieldPath', () => {
  it('writes indexes in brackets and quotes keys that are not identifiers', () => {
    expect(fieldPath(['metadata', 'links', 0, 'url'])).toBe(
      'metadata.links[0].url',
    );
    expect(fieldPath(['metadata', 'annotations', 'paver.dev/oncall'])).toBe(
      'metadata.annotations["paver.dev/oncall"]',
    );
  });
});
