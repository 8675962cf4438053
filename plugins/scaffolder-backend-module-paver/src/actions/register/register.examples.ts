import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Register what paver:repo:publish published (the golden paths' last step).",
    example: stringify({
      steps: [
        {
          id: 'register',
          action: 'paver:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl: "${{ steps['publish'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
  {
    description: 'Register a catalog-info.yaml on GitHub by its URL.',
    example: stringify({
      steps: [
        {
          id: 'register',
          action: 'paver:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl:
              'https://github.com/acme/billing-api/blob/main/catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
