import { checkServiceContract } from '@paver/service-runtime/testing';
import { app } from '../src/app.js';

describe('the OpenAPI contract (npm run contract)', () => {
  it('gives every operation a handler and every handler an operation, with schemas that compile', async () => {
    await checkServiceContract(app);
  });
});
