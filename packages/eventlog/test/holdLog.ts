// Opens the log in argv[2], appends one entry, says so, then holds the lock until killed.
import { openFileLog } from '../src/index';

const dir = process.argv[2] as string;
const log = await openFileLog(dir);
await log.append({ key: 'held', type: 'Thing', time: 0, data: null });
process.stdout.write('ready\n');
setInterval(() => undefined, 1_000);
