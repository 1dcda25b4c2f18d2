import { join } from 'node:path';
import { tempDir } from '../../test/tempDir';
import { describeEventLogConformance } from '../conformance/index';
import { type FsyncMode, openFileLog } from './fileLog';

for (const fsync of ['always', 'batch', 'never'] as FsyncMode[]) {
  describeEventLogConformance(`file (fsync ${fsync})`, async () => {
    const { dir, remove } = await tempDir('conformance');
    // A small segment size so that rolling over segments is exercised too.
    return {
      open: () => openFileLog(join(dir, 'log'), { fsync, segmentBytes: 4096 }),
      persistent: true,
      cleanup: remove,
    };
  });
}
