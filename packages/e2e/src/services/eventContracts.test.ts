import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { readEventContract } from '@paver/events';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import { TEST_PLATFORM, tempDir } from '@paver/test-utils';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../backend/backendProcess';
import { FIXTURE_ANSWERS, templatesWithFixtures } from './golden-paths';

// The golden paths' event contracts as they are rendered with their fixture answers, which name
// each other (notification-api receives from auth-api and billing-api): valid AsyncAPI 3.0, in
// the catalog as the producer's and consumers' APIs, and agreeing across services.
const goldenPaths = templatesWithFixtures(path.join(REPO_ROOT, 'templates'));

function rendered(name: string) {
  const fixture = goldenPaths.find(t => t.name === name)!;
  const template = loadTemplate(fixture.dir);
  const answers = parseAnswersYaml(
    readFileSync(path.join(fixture.dir, FIXTURE_ANSWERS), 'utf8'),
  );
  const files = renderToMemory(template, answers, { platform: TEST_PLATFORM });
  const text = (file: string) => files.get(file)!.toString('utf8');
  return { name: String(answers.name), text };
}

const services = goldenPaths.map(t => rendered(t.name));

async function contractOf(service: (typeof services)[number]) {
  const file = path.join(await tempDir('asyncapi-'), 'asyncapi.yaml');
  await writeFile(file, service.text('asyncapi.yaml'));
  return readEventContract(file);
}

interface Channel {
  address: string;
  messages: Record<string, { payload: { required?: string[] } }>;
}

/** The fields an event's payload requires, by channel address, in one rendered document. */
function requiredFields(service: (typeof services)[number]) {
  const { channels } = parse(service.text('asyncapi.yaml')) as {
    channels: Record<string, Channel>;
  };
  return new Map(
    Object.values(channels).map(channel => [
      channel.address,
      Object.values(channel.messages).flatMap(m => m.payload.required ?? []),
    ]),
  );
}

describe('the golden paths’ event contracts', () => {
  it.each(services.map(s => [s.name, s] as const))(
    '%s: asyncapi.yaml is valid AsyncAPI 3.0 for the AsyncAPI parser',
    async (_name, service) => {
      const document = service.text('asyncapi.yaml');
      expect(document).toMatch(/^asyncapi: 3\.0\.0$/m);
      const { diagnostics } = await new Parser().parse(document);
      const errors = diagnostics.filter(d => d.severity === 0);
      expect(errors.map(e => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    },
  );

  it.each(services.map(s => [s.name, s] as const))(
    '%s: the catalog has its events as an asyncapi API it provides, and the APIs it listens to',
    async (_name, service) => {
      const docs = parseAllDocuments(service.text('catalog-info.yaml')).map(d =>
        d.toJS(),
      );
      const component = docs.find(d => d.kind === 'Component');
      const events = docs.find(
        d => d.kind === 'API' && d.metadata.name === `${service.name}-events`,
      );
      expect(events?.spec).toMatchObject({
        type: 'asyncapi',
        definition: { $text: './asyncapi.yaml' },
      });
      expect(component.spec.providesApis).toContain(`${service.name}-events`);
      const sources = (await contractOf(service)).events
        .filter(e => e.action === 'receive')
        .map(e => `${e.source}-events`);
      expect(component.spec.consumesApis ?? []).toEqual([...new Set(sources)]);
    },
  );

  it('every event a golden path receives is one another sends, with the fields it reads', async () => {
    const contracts = await Promise.all(services.map(contractOf));
    const fields = services.map(requiredFields);
    const events = contracts.flatMap((contract, i) =>
      contract.events.map(e => ({ ...e, required: fields[i].get(e.subject) })),
    );
    const received = events.filter(e => e.action === 'receive');
    expect(received.map(e => e.subject).sort()).toEqual([
      'auth-api.user.registered.v1',
      'billing-api.invoice.issued.v1',
      'billing-api.subscription.activated.v1',
    ]);
    for (const consumer of received) {
      const producer = events.find(
        e => e.action === 'send' && e.subject === consumer.subject,
      );
      expect(producer, consumer.subject).toBeDefined();
      expect(producer!.required, consumer.subject).toEqual(
        expect.arrayContaining(consumer.required!),
      );
    }
  });
});
