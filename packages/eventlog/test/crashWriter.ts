// Appends to the log in argv[2] with fsync batch, 16 appends in flight, and
// prints "<revision> <key> <n>" for each one as soon as it is acknowledged,
// until it is killed.
import { openFileLog } from '../src/index';

const log = await openFileLog(process.argv[2] as string, { fsync: 'batch' });
let n = 0;
async function writer(lane: number): Promise<void> {
  for (;;) {
    const i = n++;
    const key = `lane${lane}/item${i % 50}`;
    const acked = await log.append({ key, type: 'Item', time: i, data: { i, pad: 'x'.repeat(i % 300) } });
    process.stdout.write(`${acked.revision} ${key} ${i}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, (_, lane) => writer(lane)));
