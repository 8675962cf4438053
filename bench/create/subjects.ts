// What the bench creates: Paver's golden paths, each with its own fixture answers, and the stock
// template (stockTemplate.ts) that builds the billing service from stock Backstage actions.
import fs from 'node:fs';
import path from 'node:path';
import { parseAnswersYaml } from '@paver/golden-path';
import { REPO_ROOT } from '../../packages/e2e/src/backend/backendProcess';

/** A template to create from, and the answers of one create of it. */
export interface Subject {
  label: string;
  templateRef: string;
  /** Created names are `<prefix>-<runId>-<n>` (creates.ts). */
  prefix: string;
  answers: (name: string) => Record<string, unknown>;
}

/** A template's fixture answers (templates/<template>/fixtures/answers.yaml), its tests' too. */
export function fixtureAnswers(template: string): Record<string, unknown> {
  return parseAnswersYaml(
    fs.readFileSync(
      path.join(REPO_ROOT, 'templates', template, 'fixtures/answers.yaml'),
      'utf8',
    ),
  ) as Record<string, unknown>;
}

/** A golden path, created with its fixture answers under a fresh name. */
export function goldenPath(template: string, prefix: string): Subject {
  const fixture = fixtureAnswers(template);
  return {
    label: `${template} (Paver)`,
    templateRef: `template:default/${template}`,
    prefix,
    answers: name => ({ ...fixture, name }),
  };
}

/** The golden paths in the order the tables list them; the billing service is the one raced. */
export function goldenPaths(): { all: Subject[]; billing: Subject } {
  const all = [
    goldenPath('auth-service', 'auth'),
    goldenPath('billing-service', 'bill'),
    goldenPath('notification-service', 'notif'),
  ];
  return { all, billing: all[1] };
}

/** The billing service from stock actions: its only answer is the name. */
export const STOCK: Subject = {
  label: 'billing-service (stock actions)',
  templateRef: 'template:default/billing-stock',
  prefix: 'stk',
  answers: name => ({ name }),
};
