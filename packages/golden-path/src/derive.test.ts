import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { exampleFile } from '@paver/test-utils';
import { TemplateInvalidError } from './errors';
import { renderToMemory } from './render';
import { loadTemplate } from './template';

// A template whose fragment declares slo-rules.yaml as derived from its slo.yaml.
function templateWith(manifest: string, slo = exampleFile()) {
  const root = tempDirSync('paver-derive-');
  const files: Record<string, string> = {
    '_fragments/base.yaml': manifest,
    '_fragments/base/slo.yaml': slo,
    'svc/template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
  annotations:
    paver.dev/template-version: 1.0.0
    paver.dev/fragments: base
spec:
  parameters: []
`,
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return loadTemplate(path.join(root, 'svc'));
}

const DERIVED =
  'derived:\n  - { path: slo-rules.yaml, from: slo.yaml, with: openslo-prometheus-rules }\n';

describe('derived files', () => {
  it('renders slo-rules.yaml from the rendered slo.yaml, in path order', () => {
    const files = renderToMemory(templateWith(DERIVED), {});
    expect([...files.keys()]).toEqual([
      '.paver/answers.yaml',
      'slo-rules.yaml',
      'slo.yaml',
    ]);
    const rules = files.get('slo-rules.yaml')!.toString('utf8');
    expect(rules).toContain('alert: SloErrorBudgetBurnPage');
    expect(rules).toContain('slo:sli_error:ratio_rate1h');
  });

  it('refuses an unknown deriver when the template loads', () => {
    expect(() =>
      templateWith('derived:\n  - { path: a, from: slo.yaml, with: magic }\n'),
    ).toThrow(
      /derived\[0\]\.with must be one of openslo-prometheus-rules, got "magic"/,
    );
  });

  it('refuses a derived path outside the service', () => {
    expect(() =>
      templateWith(
        'derived:\n  - { path: ../x, from: slo.yaml, with: openslo-prometheus-rules }\n',
      ),
    ).toThrow(/derived\[0\]\.path must be a relative path inside the service/);
  });

  it('fails the render, naming the file and field, when the source breaks its rules', () => {
    const template = templateWith(
      DERIVED,
      exampleFile({ objective: 'target: 2' }),
    );
    expect(() => renderToMemory(template, {})).toThrow(TemplateInvalidError);
    expect(() => renderToMemory(template, {})).toThrow(
      /derived slo-rules.yaml: slo.yaml: SLO checkout-availability: spec.objectives\[0\].target/,
    );
  });
});
