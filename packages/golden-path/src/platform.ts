/**
 * Why `value` cannot be a platform URL setting (the registry, a link pattern), or undefined when
 * it can: it must be an absolute http(s) URL once `{name}` is filled in. The caller names the key.
 */
export function platformUrlIssue(value: string): string | undefined {
  let protocol = '';
  try {
    protocol = new URL(value.split('{name}').join('x')).protocol;
  } catch {
    // not a URL at all: reported below
  }
  return protocol === 'http:' || protocol === 'https:'
    ? undefined
    : `must be an absolute http(s) URL, got ${JSON.stringify(value)}`;
}
