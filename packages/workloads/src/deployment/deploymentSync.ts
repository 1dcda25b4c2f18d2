/**
 * One sync of one Deployment: the state it has read (the Deployment and its
 * ReplicaSets) and the writes every step shares — finding or creating the
 * new ReplicaSet with its revision, scaling a ReplicaSet, writing status.
 * Each write replaces the object in this state, so later steps of the same
 * sync see what earlier ones wrote. Writes carry the `resourceVersion` that
 * was read: a stale cache makes them fail with a conflict and the sync is
 * retried on fresh objects, as upstream's controller relies on.
 */
import { type Deployment, ReplicaSet } from '@keelson/api';
import type { ReconcileContext } from '@keelson/controller';
import { errorFields, isKeelsonError } from '@keelson/core';
import { controllerRefTo, isControlledBy } from '../shared/index';
import { newReplicaSetAnnotations, replicasAnnotationsNeedUpdate, withReplicasAnnotations } from './annotations';
import { getDeploymentCondition, newDeploymentCondition, setDeploymentCondition } from './conditions';
import {
  DeploymentReason,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  SCALING_REPLICA_SET_REASON,
} from './constants';
import { canonicalJson, equalIgnoreHash, podTemplateHash } from './podTemplateHash';
import { type DeploymentStatus, hasProgressDeadline } from './progress';
import { findNewReplicaSet, findOldReplicaSets, maxRevision } from './replicaSets';
import { maxSurgeOf, newRSNewReplicas } from './surge';

/** The new ReplicaSet (if any yet) and all the others. */
export interface ReplicaSetGroups {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** The state and shared writes of one Deployment sync. */
export class DeploymentSync {
  constructor(
    readonly context: ReconcileContext,
    public deployment: Deployment,
    public replicaSets: ReplicaSet[],
  ) {}

  /** Now, on the controller's clock. */
  now(): number {
    return this.context.clock.now();
  }

  /** The ReplicaSet as this sync last saw or wrote it. */
  latest(rs: ReplicaSet): ReplicaSet {
    return this.replicaSets.find((r) => r.metadata.uid === rs.metadata.uid) ?? rs;
  }

  private remember(rs: ReplicaSet): ReplicaSet {
    const index = this.replicaSets.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (index === -1) this.replicaSets.push(rs);
    else this.replicaSets[index] = rs;
    return rs;
  }

  /** Writes the Deployment's status (only if it changed). */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    if (canonicalJson(this.deployment.status) === canonicalJson(status)) return;
    this.deployment = await this.context.client.updateStatus({ ...this.deployment, status });
  }

  /** Sets the Deployment's own revision annotation (`SetDeploymentRevision`), a metadata-only write. */
  private async writeRevision(revision: string): Promise<void> {
    const annotations = this.deployment.metadata.annotations ?? {};
    if (annotations[REVISION_ANNOTATION] === revision) return;
    this.deployment = await this.context.client.update({
      ...this.deployment,
      metadata: { ...this.deployment.metadata, annotations: { ...annotations, [REVISION_ANNOTATION]: revision } },
    });
  }

  /**
   * `getAllReplicaSetsAndSyncRevision`: splits the ReplicaSets into the new
   * one and the old ones, bringing the new one's annotations, revision and
   * `minReadySeconds` up to date; with `create`, creates the new one if
   * there is none.
   */
  async groups(create: true): Promise<ReplicaSetGroups & { newRS: ReplicaSet }>;
  async groups(create: boolean): Promise<ReplicaSetGroups>;
  async groups(create: boolean): Promise<ReplicaSetGroups> {
    const template = this.deployment.spec.template;
    const oldRSs = findOldReplicaSets(template, this.replicaSets);
    const newRS = await this.newReplicaSet(oldRSs, create);
    return { newRS, oldRSs: oldRSs.map((rs) => this.latest(rs)) };
  }

  private async newReplicaSet(oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.deployment;
    const existing = findNewReplicaSet(d.spec.template, this.replicaSets);
    const newRevision = maxRevision(oldRSs) + 1;
    const surge = d.spec.replicas + maxSurgeOf(d.spec);
    if (existing !== undefined) {
      const update = newReplicaSetAnnotations({
        deployment: d.metadata.annotations,
        replicaSet: existing.metadata.annotations,
        newRevision,
        exists: true,
        desiredReplicas: d.spec.replicas,
        maxReplicas: surge,
      });
      if (update.changed || existing.spec.minReadySeconds !== d.spec.minReadySeconds) {
        // Upstream returns here and lets the write's event bring the next sync for the rest.
        return this.remember(
          await this.context.client.update({
            ...existing,
            metadata: { ...existing.metadata, annotations: update.annotations },
            spec: { ...existing.spec, minReadySeconds: d.spec.minReadySeconds },
          }),
        );
      }
      await this.writeRevision(existing.metadata.annotations?.[REVISION_ANNOTATION] ?? String(newRevision));
      const progressing = getDeploymentCondition(this.deployment.status?.conditions, 'Progressing');
      if (hasProgressDeadline(this.deployment) && progressing === undefined) {
        const found = newDeploymentCondition(
          'Progressing',
          'True',
          DeploymentReason.FoundNewReplicaSet,
          `Found new replica set "${existing.metadata.name}"`,
          this.now(),
        );
        await this.writeStatus({
          ...this.status(),
          conditions: setDeploymentCondition(this.deployment.status?.conditions, found),
        });
      }
      return existing;
    }
    return create ? this.createNewReplicaSet(oldRSs, newRevision) : undefined;
  }

  /** The Deployment's status with the schema's defaults filled in. */
  status(): DeploymentStatus {
    return {
      replicas: 0,
      updatedReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: 0,
      ...this.deployment.status,
    };
  }

  private async createNewReplicaSet(oldRSs: ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
    const d = this.deployment;
    const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
    const labels = { ...d.spec.template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const draft = {
      metadata: { name, namespace: d.metadata.namespace, labels, ownerReferences: [controllerRefTo(d)] },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds,
        selector: {
          ...d.spec.selector,
          matchLabels: { ...d.spec.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash },
        },
        template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
      },
    };
    const replicas = newRSNewReplicas(d.spec, [...oldRSs, draft], draft);
    const annotations = newReplicaSetAnnotations({
      deployment: d.metadata.annotations,
      replicaSet: undefined,
      newRevision,
      exists: false,
      desiredReplicas: d.spec.replicas,
      maxReplicas: d.spec.replicas + maxSurgeOf(d.spec),
    }).annotations;
    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.context.client.create(ReplicaSet, {
        ...draft,
        metadata: { ...draft.metadata, annotations },
        spec: { ...draft.spec, replicas },
      });
    } catch (error) {
      if (!isKeelsonError(error, 'AlreadyExists')) {
        await this.reportCreateFailure(name, error);
        throw error;
      }
      const found = await this.context.client.get(ReplicaSet, name, { namespace: d.metadata.namespace });
      if (!isControlledBy(found, d) || !equalIgnoreHash(found.spec.template, d.spec.template)) {
        // A hash collision: another template took this name. A new collisionCount gives a new hash next time.
        await this.writeStatus({ ...this.status(), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
        throw error;
      }
      created = found;
      alreadyExists = true;
    }
    this.remember(created);
    if (!alreadyExists && replicas > 0) {
      await this.context.recorder?.event(
        d,
        'Normal',
        SCALING_REPLICA_SET_REASON,
        `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`,
      );
    }
    await this.writeRevision(String(newRevision));
    if (!alreadyExists && hasProgressDeadline(this.deployment)) {
      const condition = newDeploymentCondition(
        'Progressing',
        'True',
        DeploymentReason.NewReplicaSetCreated,
        `Created new replica set "${created.metadata.name}"`,
        this.now(),
      );
      await this.writeStatus({
        ...this.status(),
        conditions: setDeploymentCondition(this.deployment.status?.conditions, condition),
      });
    }
    return created;
  }

  private async reportCreateFailure(name: string, error: unknown): Promise<void> {
    const message = `Failed to create new replica set "${name}": ${(error as Error)?.message ?? String(error)}`;
    if (hasProgressDeadline(this.deployment)) {
      const condition = newDeploymentCondition(
        'Progressing',
        'False',
        DeploymentReason.FailedReplicaSetCreate,
        message,
        this.now(),
      );
      try {
        await this.writeStatus({
          ...this.status(),
          conditions: setDeploymentCondition(this.deployment.status?.conditions, condition),
        });
      } catch (statusError) {
        // The failed create is the error the sync reports; this status write is only a courtesy.
        this.context.logger.error(
          errorFields(statusError),
          `could not record the failed create on deployment ${this.deployment.metadata.name}`,
        );
      }
    }
    await this.context.recorder?.event(this.deployment, 'Warning', DeploymentReason.FailedReplicaSetCreate, message);
  }

  /**
   * `scaleReplicaSetAndRecordEvent`: scales the ReplicaSet to `replicas`
   * if that is a change; resolves whether it scaled.
   */
  async scaleAndRecord(rs: ReplicaSet, replicas: number): Promise<boolean> {
    if (this.latest(rs).spec.replicas === replicas) return false;
    return this.scale(rs, replicas);
  }

  /**
   * `scaleReplicaSet`: writes the size and the replicas annotations when
   * either differs, and records `ScalingReplicaSet` when the size changed.
   */
  async scale(rs: ReplicaSet, replicas: number): Promise<boolean> {
    const current = this.latest(rs);
    const d = this.deployment;
    const max = d.spec.replicas + maxSurgeOf(d.spec);
    const sizeChanged = current.spec.replicas !== replicas;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(current.metadata.annotations, d.spec.replicas, max)) {
      return false;
    }
    const annotations = withReplicasAnnotations(current.metadata.annotations, d.spec.replicas, max).annotations;
    const updated = this.remember(
      await this.context.client.update({
        ...current,
        metadata: { ...current.metadata, annotations },
        spec: { ...current.spec, replicas },
      }),
    );
    if (!sizeChanged) return false;
    const direction = current.spec.replicas < replicas ? 'up' : 'down';
    await this.context.recorder?.event(
      d,
      'Normal',
      SCALING_REPLICA_SET_REASON,
      `Scaled ${direction} replica set ${updated.metadata.name} from ${current.spec.replicas} to ${replicas}`,
    );
    return true;
  }
}
