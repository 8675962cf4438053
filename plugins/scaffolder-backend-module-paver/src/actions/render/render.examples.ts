import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const billingAnswers = {
  name: 'billing-api',
  description: 'Bills payments customers for plans and metered usage',
  owner: 'group:default/payments',
  system: 'system:default/billing',
  lifecycle: 'production',
  datastore: 'postgres',
  oncall: 'payments-primary',
};

export const examples: TemplateExample[] = [
  {
    description:
      "Render a golden path with the form's answers (the usual first step).",
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'paver:render',
          name: 'Render the service',
          input: { template: 'billing-service', values: '${{ parameters }}' },
        },
      ],
    }),
  },
  {
    description:
      'Render with literal answers into a folder inside the workspace.',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'paver:render',
          name: 'Render the service into service/',
          input: {
            template: 'billing-service',
            values: billingAnswers,
            targetPath: 'service',
          },
        },
      ],
    }),
  },
];
