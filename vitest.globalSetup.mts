import { leftoverTempEntries } from './packages/test-utils/src/tempDirs';

// Once per run: after every file has finished, name what the run left in the OS temp folder
// (entries named paver-* changed since it started), so a test that forgets to clean up is seen.
export default function setup() {
  const started = Date.now();
  return () => {
    const left = leftoverTempEntries(started);
    if (left.length === 0) {
      console.log('Temp folders: this run left nothing behind.');
      return;
    }
    console.warn(
      `Temp folders: this run left ${left.length} paver-* entr${
        left.length === 1 ? 'y' : 'ies'
      } in the OS temp folder:\n${left.map(name => `  ${name}`).join('\n')}`,
    );
  };
}
