import { randomBytes } from 'node:crypto';

/** A random secret whose every recognisable form is listed, so a test can grep for leaks. */
export interface Canary {
  value: string;
  /** Form name -> the text that must never appear. */
  forms: Record<string, string>;
}

/**
 * Makes `CANARY-<32 hex>` and the forms a template or a careless log could turn it into: as is,
 * JSON-escaped (inside a JSON string), each half of its random part (a template that splits it),
 * reversed, hex, and base64/base64url at all three byte alignments (so it is found inside a longer
 * encoded string too, e.g. `base64("token:" + secret)`).
 */
export function makeCanary(): Canary {
  const random = randomBytes(16).toString('hex');
  const value = `CANARY-${random}`;
  const forms: Record<string, string> = {
    raw: value,
    json: JSON.stringify(value).slice(1, -1),
    'first half': random.slice(0, 16),
    'second half': random.slice(16),
    reversed: [...value].reverse().join(''),
    hex: Buffer.from(value).toString('hex'),
  };
  for (const encoding of ['base64', 'base64url'] as const) {
    for (let offset = 0; offset < 3; offset++) {
      forms[`${encoding} at offset ${offset}`] = encodedCore(
        value,
        offset,
        encoding,
      );
    }
  }
  return { value, forms };
}

// The base64 characters that depend only on the secret's bytes when it starts `offset` bytes into
// a 3-byte group: drop the characters shared with the bytes before it and the partial tail.
function encodedCore(
  value: string,
  offset: number,
  encoding: 'base64' | 'base64url',
): string {
  const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]);
  const encoded = bytes.toString(encoding).replace(/=+$/, '');
  const skip = offset === 0 ? 0 : Math.ceil((offset * 8) / 6);
  const whole = Math.floor(bytes.length / 3) * 4;
  return encoded.slice(skip, whole);
}

/** The forms of the canary found in `text`, by name (empty when nothing leaked). */
export function leaksIn(canary: Canary, text: string): string[] {
  return Object.entries(canary.forms)
    .filter(([, form]) => text.includes(form))
    .map(([name]) => name);
}
