/**
 * The cluster's image registry: the images a test scripts, and — unless the
 * test asks to be strict — any other image, pulled as a plain server.
 */
import type { AuthConfig } from '@keelson/cri';
import { type ImageOptions, MockRegistry } from '@keelson/runtime-mock';

class OpenRegistry extends MockRegistry {
  override resolve(reference: string, auth: AuthConfig | undefined): ReturnType<MockRegistry['resolve']> {
    if (this.get(reference) === undefined) this.add(reference);
    return super.resolve(reference, auth);
  }
}

/** A registry holding `images`; with `strict` false, unknown references are added as they are pulled. */
export function autoRegistry(images: Readonly<Record<string, ImageOptions>>, strict: boolean): MockRegistry {
  const registry = strict ? new MockRegistry() : new OpenRegistry();
  for (const [reference, options] of Object.entries(images)) registry.add(reference, options);
  return registry;
}
