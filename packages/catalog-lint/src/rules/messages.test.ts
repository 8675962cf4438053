import { locateBackstageMessage } from './messages';

describe('locateBackstageMessage', () => {
  it.each([
    [
      '"metadata.name" is not valid; expected x but found "B!". To learn more about catalog file format, visit: https://x',
      'metadata.name',
      'expected x but found "B!".',
    ],
    [
      '"links.2.url" is not valid; expected a url but found "y". To learn more about catalog file format, visit: z',
      'metadata.links[2].url',
      'expected a url but found "y".',
    ],
    [
      '"annotations.paver.dev/oncall" is not valid; expected a string but found "1".',
      'metadata.annotations["paver.dev/oncall"]',
      'expected a string but found "1".',
    ],
    ['metadata.name must have a value', 'metadata.name', 'must have a value'],
    [
      'Unknown field status',
      'status',
      'is not allowed at the root (only apiVersion, kind, metadata, spec)',
    ],
    [
      "Malformed envelope, /metadata must have required property 'name'",
      'metadata.name',
      "must have required property 'name'",
    ],
    [
      "Malformed envelope, <root> must have required property 'kind'",
      'kind',
      "must have required property 'kind'",
    ],
    [
      "/spec must have required property 'owner' - missingProperty: owner",
      'spec.owner',
      "must have required property 'owner'",
    ],
    [
      '/spec must NOT have additional properties - additionalProperty: colour',
      'spec.colour',
      'must NOT have additional properties',
    ],
    [
      '/spec/targets/1 must be string - type: string',
      'spec.targets[1]',
      'must be string (type: string)',
    ],
    ['something else entirely', '(document)', 'something else entirely'],
  ])('locates %j', (text, field, message) => {
    expect(locateBackstageMessage(text)).toEqual({ field, message });
  });
});
