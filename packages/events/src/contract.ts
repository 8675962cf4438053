import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { EventContractError, EventPayloadError } from './errors.js';

/** One event a service sends or receives, as its AsyncAPI document declares it. */
export interface ContractEvent {
  action: 'send' | 'receive';
  /** The channel address: `<source>.<type>.v<version>`. */
  subject: string;
  source: string;
  type: string;
  version: number;
}

/** The events of one AsyncAPI 3.0 document, with their payload schemas. */
export interface EventContract {
  readonly file: string;
  readonly events: readonly ContractEvent[];
  /** Throws {@link EventPayloadError} naming the field when `data` is not what `subject` carries. */
  check(action: ContractEvent['action'], subject: string, data: unknown): void;
}

type Json = Record<string, unknown>;

const ADDRESS =
  /^([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*)\.v(\d+)$/;
const DOCUMENT_ID = 'paver-asyncapi';
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const pointer = (...keys: string[]) =>
  keys.map(key => key.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function localRef(node: unknown): string | undefined {
  const ref = isObject(node) ? node.$ref : undefined;
  return typeof ref === 'string' && ref.startsWith('#/') ? ref : undefined;
}

function resolve(doc: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map(key => key.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, key) => (isObject(node) ? node[key] : undefined),
      doc,
    );
}

/** JSON pointers (from the document root) of the payloads a channel's messages carry. */
function payloadPointers(channelKey: string, channel: Json) {
  const messages = isObject(channel.messages) ? channel.messages : {};
  return Object.entries(messages).map(([key, message]) => {
    const ref = localRef(message);
    return ref
      ? `${ref}/payload`
      : `#/${pointer('channels', channelKey, 'messages', key)}/payload`;
  });
}

interface Declared {
  event: ContractEvent;
  validate: ValidateFunction;
}

function declaredEvents(doc: Json, ajv: Ajv, problems: string[]): Declared[] {
  const operations = isObject(doc.operations) ? doc.operations : {};
  const declared: Declared[] = [];
  for (const [name, operation] of Object.entries(operations)) {
    if (!isObject(operation)) continue;
    const action = operation.action;
    const channelRef = localRef(operation.channel);
    const channelKey = channelRef?.replace(/^#\/channels\//, '');
    const channel = channelRef ? resolve(doc, channelRef) : undefined;
    if (action !== 'send' && action !== 'receive') {
      problems.push(`operations.${name}.action must be send or receive`);
      continue;
    }
    if (!channelKey || !isObject(channel)) {
      problems.push(`operations.${name}.channel must $ref one of #/channels`);
      continue;
    }
    const address = typeof channel.address === 'string' ? channel.address : '';
    const parts = ADDRESS.exec(address);
    if (!parts) {
      problems.push(
        `channels.${channelKey}.address "${address}" must be <service>.<event type>.v<version>, e.g. billing-service.invoice.issued.v1`,
      );
      continue;
    }
    const payloads = payloadPointers(channelKey, channel);
    if (payloads.length === 0) {
      problems.push(`channels.${channelKey} declares no message`);
      continue;
    }
    const schema =
      payloads.length === 1
        ? { $ref: `${DOCUMENT_ID}${payloads[0]}` }
        : { oneOf: payloads.map(p => ({ $ref: `${DOCUMENT_ID}${p}` })) };
    declared.push({
      event: {
        action,
        subject: address,
        source: parts[1],
        type: parts[2],
        version: Number(parts[3]),
      },
      validate: ajv.compile(schema),
    });
  }
  return declared;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'does not match its schema';
  const where = first.instancePath
    ? `data${first.instancePath.replaceAll('/', '.')}`
    : 'data';
  return `${where} ${first.message ?? 'is invalid'}`;
}

/**
 * Reads an AsyncAPI 3.0 document (the service's `asyncapi.yaml`): its send and receive operations,
 * each on a channel addressed `<source>.<type>.v<version>`, and their messages' payload schemas
 * (JSON Schema, AsyncAPI's default schema format; `$ref`s within the document are followed).
 */
export function readEventContract(file: string): EventContract {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EventContractError(file, [
      `cannot be read as YAML: ${
        error instanceof Error ? error.message : String(error)
      }`,
    ]);
  }
  if (!isObject(doc))
    throw new EventContractError(file, ['is not a YAML mapping']);
  if (typeof doc.asyncapi !== 'string' || !/^3\.0\.\d+$/.test(doc.asyncapi)) {
    throw new EventContractError(file, [
      `asyncapi must be 3.0.x (Backstage's API docs cannot render 3.1), got ${JSON.stringify(
        doc.asyncapi,
      )}`,
    ]);
  }
  const ajv = new Ajv({ allErrors: false, strict: false });
  addFormats.default(ajv);
  ajv.addSchema(doc, DOCUMENT_ID, undefined, false);
  const problems: string[] = [];
  let declared: Declared[];
  try {
    declared = declaredEvents(doc, ajv, problems);
  } catch (error) {
    throw new EventContractError(file, [
      `a payload schema does not compile: ${
        error instanceof Error ? error.message : String(error)
      }`,
    ]);
  }
  if (problems.length > 0) throw new EventContractError(file, problems);
  return {
    file,
    events: declared.map(d => d.event),
    check(action, subject, data) {
      const found = declared.find(
        d => d.event.action === action && d.event.subject === subject,
      );
      if (!found) {
        throw new EventPayloadError(
          `${file} declares no ${action} operation on ${subject}`,
        );
      }
      if (!found.validate(data)) {
        throw new EventPayloadError(
          `${subject}: ${describe(found.validate.errors)}`,
        );
      }
    },
  };
}
