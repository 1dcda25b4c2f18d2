/**
 * `batch/v1` Job: pods that run to completion.
 */
import { defineResource, type ResourceObject, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { jobConditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { podTemplateSpecSchema } from './podTemplate';
import { int32, int64, nonNegativeInt32, time } from './primitives';
import { jsonEqual, selectorImmutable, workloadIssues } from './workload';

/** The label a job's pods carry with the job's uid; the generated selector selects it. */
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
/** The label a job's pods carry with the job's name. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
const LEGACY_JOB_NAME_LABEL = 'job-name';
const MAX_INT32 = 2147483647;

/** A rule of `podFailurePolicy`: what a failed pod's exit codes or conditions mean. */
export const podFailurePolicyRuleSchema = z.object({
  action: z.enum(['FailJob', 'FailIndex', 'Ignore', 'Count']),
  onExitCodes: z
    .object({ containerName: z.string().exactOptional(), operator: z.enum(['In', 'NotIn']), values: z.array(int32) })
    .exactOptional(),
  onPodConditions: z
    .array(z.object({ type: z.string().min(1), status: z.enum(['True', 'False', 'Unknown']).default('True') }))
    .exactOptional(),
});

/**
 * A job's spec, with `SetDefaults_Job`: `completions` and `parallelism` 1
 * when both are unset (else `parallelism` 1 when unset), `backoffLimit` 6
 * (2147483647 with `backoffLimitPerIndex`), `completionMode` NonIndexed,
 * `suspend` false, `manualSelector` false and `podReplacementPolicy`
 * TerminatingOrFailed (Failed with a `podFailurePolicy`).
 */
export const jobSpecSchema = z
  .object({
    parallelism: nonNegativeInt32.exactOptional(),
    completions: nonNegativeInt32.exactOptional(),
    activeDeadlineSeconds: int64.min(1, { error: 'must be greater than 0' }).exactOptional(),
    podFailurePolicy: z.object({ rules: z.array(podFailurePolicyRuleSchema) }).exactOptional(),
    backoffLimit: nonNegativeInt32.exactOptional(),
    backoffLimitPerIndex: nonNegativeInt32.exactOptional(),
    maxFailedIndexes: nonNegativeInt32.exactOptional(),
    selector: labelSelectorSchema.exactOptional(),
    manualSelector: z.boolean().default(false),
    template: podTemplateSpecSchema,
    ttlSecondsAfterFinished: nonNegativeInt32.exactOptional(),
    completionMode: z.enum(['NonIndexed', 'Indexed']).default('NonIndexed'),
    suspend: z.boolean().default(false),
    podReplacementPolicy: z.enum(['TerminatingOrFailed', 'Failed']).exactOptional(),
    managedBy: z.string().exactOptional(),
  })
  .transform((spec) => ({
    ...spec,
    ...(spec.completions === undefined && spec.parallelism === undefined ? { completions: 1 } : {}),
    parallelism: spec.parallelism ?? 1,
    backoffLimit: spec.backoffLimit ?? (spec.backoffLimitPerIndex === undefined ? 6 : MAX_INT32),
    podReplacementPolicy: spec.podReplacementPolicy ?? (spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed'),
  }))
  .superRefine((spec, ctx) => {
    if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['completions'],
        message: 'when completion mode is Indexed: Required value',
      });
    }
    if (spec.podFailurePolicy && spec.template.spec.restartPolicy !== 'Never') {
      ctx.addIssue({
        code: 'custom',
        path: ['template', 'spec', 'restartPolicy'],
        message: 'only "Never" is supported when podFailurePolicy is specified',
      });
    }
  });

/** What the job controller observed. */
export const jobStatusSchema = z.object({
  conditions: z.array(jobConditionSchema).exactOptional(),
  startTime: time.exactOptional(),
  completionTime: time.exactOptional(),
  active: nonNegativeInt32.exactOptional(),
  succeeded: nonNegativeInt32.exactOptional(),
  failed: nonNegativeInt32.exactOptional(),
  terminating: nonNegativeInt32.exactOptional(),
  ready: nonNegativeInt32.exactOptional(),
  completedIndexes: z.string().exactOptional(),
  failedIndexes: z.string().exactOptional(),
  uncountedTerminatedPods: z
    .object({ succeeded: z.array(z.string()).exactOptional(), failed: z.array(z.string()).exactOptional() })
    .exactOptional(),
});

type JobObject = ResourceObject<typeof jobSpecSchema, typeof jobStatusSchema, undefined>;

/**
 * What the API server adds to a new job: its labels default to the
 * template's (`SetDefaults_Job`), and unless `manualSelector` is set the
 * template is labelled with the job's name and uid and the selector selects
 * the uid, so the job owns exactly its own pods.
 */
function prepareJob(job: JobObject): JobObject {
  const templateLabels = job.spec.template.metadata.labels;
  const labels =
    job.metadata.labels && Object.keys(job.metadata.labels).length > 0 ? job.metadata.labels : templateLabels;
  let spec = job.spec;
  if (!spec.manualSelector) {
    const { name, uid } = job.metadata;
    const generated = {
      [LEGACY_JOB_NAME_LABEL]: name,
      [JOB_NAME_LABEL]: name,
      [LEGACY_CONTROLLER_UID_LABEL]: uid,
      [JOB_CONTROLLER_UID_LABEL]: uid,
    };
    const selector = spec.selector ?? {};
    spec = {
      ...spec,
      template: {
        ...spec.template,
        metadata: { ...spec.template.metadata, labels: { ...generated, ...templateLabels } },
      },
      selector: { ...selector, matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid, ...selector.matchLabels } },
    };
  }
  return {
    ...job,
    metadata: labels === undefined ? job.metadata : { ...job.metadata, labels },
    spec,
    status: {},
  };
}

/**
 * The Job kind. The template's `restartPolicy` must be Never or OnFailure;
 * the selector is generated (see above) and never changes; the template
 * may change only while the job is suspended and has not started.
 * `status.successful` is selectable, as in Kubernetes.
 *
 * @example
 * ```ts
 * const job = await store.create(Job, {
 *   metadata: { name: 'pi', namespace: 'default' },
 *   spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0' }] } } },
 * });
 * job.spec.completions; // 1
 * ```
 */
export const Job = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  namespaced: true,
  spec: jobSpecSchema,
  status: jobStatusSchema,
  fields: { 'status.successful': { get: (job) => String(job.status?.succeeded ?? 0) } },
  strategy: {
    prepareForCreate: prepareJob,
    validate: (job) => workloadIssues(job, 'job', ['OnFailure', 'Never']),
    validateUpdate: (old, next) => {
      const issues = [...selectorImmutable(old, next), ...workloadIssues(next, 'job', ['OnFailure', 'Never'])];
      if (next.spec.completionMode !== old.spec.completionMode) {
        issues.push({ path: 'spec.completionMode', message: 'field is immutable' });
      }
      const mayChangeTemplate = old.spec.suspend && old.status?.startTime === undefined;
      if (!mayChangeTemplate && !jsonEqual(old.spec.template, next.spec.template)) {
        issues.push({ path: 'spec.template', message: 'field is immutable' });
      }
      return issues;
    },
  },
});
export type Job = ResourceOf<typeof Job>;
