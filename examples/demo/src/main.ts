import { runDemo } from './demo';
import { createDisplay } from './display';
import { logLevelFrom } from './logging';
import { runStory } from './story';

const argv = process.argv.slice(2);
const args = new Set(argv);
const { KEELSON_LOG } = process.env;
const logLevel = logLevelFrom(argv, KEELSON_LOG);
if (args.has('--tour')) {
  await runDemo();
} else {
  // Log lines on the same terminal would break the table's redraw in place: print it plainly then.
  const display = createDisplay(process.stdout, logLevel === undefined || process.stderr.isTTY !== true);
  await runStory(display, { realtime: args.has('--realtime'), ...(logLevel && { logLevel }) });
  console.log('\nMore: `pnpm demo -- --tour` walks through the parts one by one (clock, log, store, controller).');
}
