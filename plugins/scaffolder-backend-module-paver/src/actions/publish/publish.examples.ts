import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Publish the rendered service with the configured provider (the golden paths' second step).",
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'paver:repo:publish',
          name: 'Publish the repository',
          input: {
            name: '${{ parameters.name }}',
            owner: '${{ parameters.owner }}',
            description: '${{ parameters.description }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish to the embedded local git store whatever the configured provider is.',
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'paver:repo:publish',
          name: 'Publish locally',
          input: {
            name: 'billing-api',
            owner: 'group:default/payments',
            provider: 'local',
          },
        },
      ],
    }),
  },
];
