import { runDemo } from './demo';
import { createDisplay } from './display';
import { runStory } from './story';

const args = new Set(process.argv.slice(2));
if (args.has('--tour')) {
  await runDemo();
} else {
  await runStory(createDisplay(), { realtime: args.has('--realtime') });
  console.log('\nMore: `pnpm demo -- --tour` walks through the parts one by one (clock, log, store, controller).');
}
