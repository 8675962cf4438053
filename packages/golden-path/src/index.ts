/**
 * The golden-path engine: loads templates, validates answers, renders skeletons.
 * No Backstage imports, so the CLI, the Yeoman generator and the portal share it.
 *
 * @packageDocumentation
 */
export * from './errors';
export {
  loadTemplate,
  listTemplates,
  findTemplateDirs,
  VERSION_ANNOTATION,
  FRAGMENTS_ANNOTATION,
} from './template';
export type {
  GeneratedSecret,
  LoadedTemplate,
  TemplateLayer,
} from './template';
export type { SourceFile } from './files';
export {
  validateAnswers,
  parseAnswersYaml,
  publicAnswers,
  serviceNameIssues,
  SERVICE_NAME_PATTERN,
  RESERVED_NAMES,
} from './answers';
export type { Answers } from './answers';
export { renderToMemory, answersFile, ANSWERS_FILE } from './render';
export type { RenderOptions } from './render';
export { renderTemplate, writeTree, writeIntoPlace } from './write';
export type {
  RenderTemplateOptions,
  RenderProgress,
  RenderResult,
} from './write';
export { caseHelpers, compileTemplate } from './handlebars';
export { platformUrlIssue } from './platform';
export type {
  RenderContext,
  CompiledTemplate,
  PlatformSettings,
} from './handlebars';
export {
  parseYamlSafe,
  parseYamlStreamSafe,
  MAX_YAML_BYTES,
  MAX_ALIAS_COUNT,
} from './yaml';
export type { SafeYamlOptions } from './yaml';
export { resolveSafeChildPath } from './paths';
export { mergeParameterPages, secretFields, fieldSchema } from './schema';
export type { JsonSchema } from './schema';
export { describeFields, validateField, coerceFieldValue } from './fields';
export type { FieldPrompt } from './fields';
export { parseServiceRecord } from './record';
export type { ServiceRecord } from './record';
export {
  backendTemplateReleases,
  templateReleasesFromConfig,
  type ReleasesConfig,
} from './backendReleases';
export {
  mirrorTemplateRepository,
  RELEASES_FILE,
  releaseTag,
  TemplateReleases,
} from './releases';
export type { BackendReleasesOptions } from './backendReleases';
export type { TemplateReleasesOptions } from './releases';
export * from './upgrade';
