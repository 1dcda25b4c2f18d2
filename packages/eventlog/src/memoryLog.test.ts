import { describeEventLogConformance } from './conformance/index';
import { createMemoryLog } from './memoryLog';

describeEventLogConformance('memory', () => ({ open: async () => createMemoryLog(), persistent: false }));
