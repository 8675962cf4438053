// The Yeoman front door to the golden-path engine. It only asks and writes: loading, validation
// and rendering are the engine's, so `yo paver`, `paver new` and the portal give the same bytes.
import path from 'node:path';
import Generator from 'yeoman-generator';
import * as goldenPathModule from '@paver/golden-path';

// The engine is TypeScript compiled to CommonJS on the fly (Backstage's node transform), whose
// named exports Node cannot detect from ESM; `default` is its module.exports there. Under vitest
// the engine is ESM and the namespace itself holds the exports.
const goldenPath = goldenPathModule.default ?? goldenPathModule;
const {
  describeFields,
  loadTemplate,
  renderToMemory,
  resolveSafeChildPath,
  TemplateNotFoundError,
  validateAnswers,
  validateField,
} = goldenPath;

export default class PaverGenerator extends Generator {
  constructor(args, options) {
    super(args, options, { customInstallTask: true });
    this.option('templatesRoot', {
      type: String,
      description: 'Folder holding the golden paths',
    });
    this.option('template', {
      type: String,
      description: 'Name of the golden path to render',
    });
    // Two more options only make sense programmatically (the paver CLI), so they are not declared
    // (declared options are parsed from the command line, which would mangle them):
    //   answers     answers already collected; only the missing ones are asked
    //   platform    the organisation's settings the template reads (registry, dashboard link)
    //   onProgress  called with { step, ... } as the generator goes
  }

  initializing() {
    const { templatesRoot, template } = this.options;
    if (!templatesRoot || !template) {
      throw new TemplateNotFoundError(
        'generator-paver needs --templatesRoot and --template',
      );
    }
    this.paverTemplate = loadTemplate(path.resolve(templatesRoot, template));
    this.#progress({
      step: 'loaded',
      name: this.paverTemplate.name,
      version: this.paverTemplate.version,
    });
  }

  async prompting() {
    const given = { ...(this.options.answers ?? {}) };
    // With answers given programmatically, only what the engine cannot do without is asked:
    // required fields with no default. Standalone (`yo paver`), every field is offered.
    const programmatic = this.options.answers !== undefined;
    const missing = describeFields(this.paverTemplate).filter(
      f =>
        given[f.name] === undefined &&
        (!programmatic || (f.required && f.default === undefined)),
    );
    const asked =
      missing.length > 0
        ? await this.prompt(missing.map(f => this.#question(f)))
        : {};
    this.paverAnswers = { ...given, ...withoutEmptyOptional(asked, missing) };
  }

  writing() {
    const values = validateAnswers(this.paverTemplate, this.paverAnswers);
    this.#progress({ step: 'validated' });
    const files = renderToMemory(this.paverTemplate, values, {
      platform: this.options.platform,
    });
    this.#progress({ step: 'rendered', fileCount: files.size });
    const root = this.destinationRoot();
    for (const [relativePath, content] of files) {
      this.fs.write(resolveSafeChildPath(root, relativePath), content);
    }
  }

  end() {
    this.#progress({ step: 'written', targetDir: this.destinationRoot() });
  }

  #question(field) {
    const base = {
      name: field.name,
      message: field.description
        ? `${field.message} (${field.description})`
        : field.message,
      default: field.default,
    };
    if (field.kind === 'confirm') return { ...base, type: 'confirm' };
    if (field.kind === 'select')
      return { ...base, type: 'select', choices: field.choices };
    return {
      ...base,
      type: field.secret ? 'password' : 'input',
      filter: value =>
        field.type === 'string' || value === '' ? value : Number(value),
      validate: value => {
        if (value === '' || value === undefined)
          return field.required ? `${field.name} is required` : true;
        return validateField(this.paverTemplate, field.name, value) ?? true;
      },
    };
  }

  #progress(event) {
    this.options.onProgress?.(event);
  }
}

// An optional text field left empty means "not given", so the schema default (if any) applies.
function withoutEmptyOptional(asked, fields) {
  const out = { ...asked };
  for (const f of fields)
    if (!f.required && out[f.name] === '') delete out[f.name];
  return out;
}
