import { runDemo } from './demo';

await runDemo();
