import fs from 'node:fs';
import path from 'node:path';
import {
  leftoverTempEntries,
  removeTempDirs,
  tempDir,
  tempDirSync,
} from './tempDirs';

describe('temp folders for tests', () => {
  it('names every folder paver-* and removes them all on request', async () => {
    const started = Date.now() - 1000;
    const a = await tempDir('probe-a-');
    const b = tempDirSync('paver-probe-b-');
    fs.writeFileSync(path.join(a, 'file.txt'), 'x');
    expect(path.basename(a)).toMatch(/^paver-probe-a-/);
    expect(path.basename(b)).toMatch(/^paver-probe-b-/);
    expect(leftoverTempEntries(started)).toEqual(
      expect.arrayContaining([path.basename(a), path.basename(b)]),
    );

    await removeTempDirs();

    expect(fs.existsSync(a)).toBe(false);
    expect(fs.existsSync(b)).toBe(false);
    expect(leftoverTempEntries(started)).not.toContain(path.basename(a));
  });
});
