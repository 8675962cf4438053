import { afterAll } from 'vitest';
import { removeTempDirs } from './packages/test-utils/src/tempDirs';

// Runs in every test file: the temp folders its tests took from @paver/test-utils are removed
// after its last suite, also when a test failed.
afterAll(removeTempDirs);
