// Reading free-form catalog fields for a report: text that is there, or nothing.

/** The trimmed text, or undefined for anything else (absent, blank, not a string). */
export function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

/** `{ [key]: text }` when the value is text, else `{}`: spread it so absent facts stay absent. */
export function optional<K extends string>(
  key: K,
  value: unknown,
): { [P in K]?: string } {
  const text = nonEmpty(value);
  return (text === undefined ? {} : { [key]: text }) as { [P in K]?: string };
}
