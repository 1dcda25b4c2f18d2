import { VirtualClock } from '@keelson/clock';
import { describeRuntimeConformance } from '@keelson/cri/conformance';
import { createMockRuntime } from './createMockRuntime';
import { createImageRegistry } from './MockRegistry';

describeRuntimeConformance('mock', () => {
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const registry = createImageRegistry();
  const runtime = createMockRuntime({ clock, registry, seed: 1 });
  return {
    runtime,
    images: runtime,
    image: (ref, behaviour) => {
      registry.add(ref, behaviour === undefined ? {} : { behaviour: { ...behaviour } });
    },
    advance: (ms) => clock.advance(ms),
  };
});
