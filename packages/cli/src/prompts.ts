import type { FieldPrompt } from '@paver/golden-path';

/** Asks one field in the terminal with @inquirer/prompts, by the kind the engine derived. */
export async function askInTerminal(
  field: FieldPrompt,
  validate: (value: unknown) => string | true,
): Promise<unknown> {
  // Loaded on demand: only an interactive run needs it, and it is ESM.
  const { confirm, input, password, select } = await import(
    '@inquirer/prompts'
  );
  const message = field.description
    ? `${field.message} (${field.description})`
    : field.message;
  if (field.kind === 'confirm') {
    return confirm({ message, default: field.default === true });
  }
  if (field.kind === 'select') {
    const choices = (field.choices ?? []).map(value => ({
      value,
      name: String(value),
    }));
    return select({ message, choices, default: field.default });
  }
  const toValue = (text: string) =>
    field.type === 'string' || text === '' ? text : Number(text);
  const check = (text: string) => {
    if (text !== '') return validate(toValue(text));
    return field.required ? `${field.name} is required` : true;
  };
  const text = field.secret
    ? await password({ message, mask: true, validate: check })
    : await input({
        message,
        default:
          field.default === undefined ? undefined : String(field.default),
        validate: check,
      });
  return toValue(text);
}
