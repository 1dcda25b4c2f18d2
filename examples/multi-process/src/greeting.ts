import { defineController } from '@keelson/controller';
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';

/** A greeting someone asked for: whom to greet; the status says who answered. */
export const Greeting = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Greeting',
  plural: 'greetings',
  namespaced: true,
  spec: z.object({ to: z.string().min(1) }),
  status: z.object({
    message: z.string().optional(),
    /** The process whose controller wrote the message: the leader at the time. */
    greetedBy: z.string().optional(),
  }),
});
export type Greeting = ResourceOf<typeof Greeting>;

/**
 * The example's controller: answers each greeting once, signing it with the
 * identity of the process that runs it. Only the elected leader reconciles,
 * so the signature shows where leadership was.
 */
export function greeter(identity: string) {
  return defineController({
    name: 'greeter',
    for: Greeting,
    async reconcile({ name, namespace }, { client, cache }) {
      const greeting = cache.get(Greeting, name, namespace);
      if (!greeting || greeting.status?.greetedBy) return;
      await client.patch(
        Greeting,
        name,
        (draft) => {
          draft.status = { message: `Hello, ${draft.spec.to}!`, greetedBy: identity };
        },
        { namespace, subresource: 'status' },
      );
    },
  });
}
