/**
 * Paver's scaffolder module: the actions behind the golden paths on the Create page.
 *
 * @packageDocumentation
 */
export { scaffolderModulePaver as default } from './module';
export { createRenderAction, RENDER_ACTION_ID } from './actions/render/render';
export {
  createPublishAction,
  PUBLISH_ACTION_ID,
} from './actions/publish/publish';
export type {
  GithubPublishProvider,
  GithubPublishRequest,
} from './actions/publish/github';
export type { PublishedRepository } from './actions/publish/publish.schema';
export {
  createRegisterAction,
  REGISTER_ACTION_ID,
  NotRegisteredError,
} from './actions/register/register';
