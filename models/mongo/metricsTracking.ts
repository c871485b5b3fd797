/**
 * The incident store, keeping each incident's metrics row current as it is written: a declare or
 * an import (insert), and every change that touches a milestone or the severity. The order —
 * mark, write, refresh, unmark — is what lets a report repair a row a crash left behind
 * (metricsRows.ts). A change that touches neither costs nothing extra.
 */
import type { Connection } from 'mongoose';
import type { Incident } from '../incident/incident.js';
import type { Effect } from '../delivery/effects.js';
import type { IncidentPatch } from '../incident/patch.js';
import type { TimelineEvent } from '../incident/timeline.js';
import { MongoIncidentStore } from './mongoStore.js';
import { MongoMetricsRows } from './metricsRows.js';

/** The patch fields a metrics row is computed from (tenant, component and declared time never change; the type may). */
const touchesMetrics = (patch: IncidentPatch) => patch.milestones !== undefined || patch.severity !== undefined || patch.type !== undefined;

export class MetricsTrackingStore extends MongoIncidentStore {
  readonly metricsRows: MongoMetricsRows;

  constructor(connection: Connection) {
    super(connection);
    this.metricsRows = new MongoMetricsRows(connection);
  }

  override async init(): Promise<void> {
    await Promise.all([super.init(), this.metricsRows.init()]);
  }

  override async insertIncident(incident: Incident, onInserted?: (stored: Incident) => void): Promise<{ incident: Incident; inserted: boolean }> {
    const mark = await this.metricsRows.mark(incident.id);
    const result = await super.insertIncident(incident, onInserted);
    await this.settle(incident.id, mark, result.inserted ? result.incident : undefined);
    return result;
  }

  override async applyChange(id: string, expectedVersion: number, actionKey: string, patch: IncidentPatch, event: TimelineEvent, effects: readonly Effect[]): Promise<Incident | 'conflict' | 'duplicate' | 'missing'> {
    if (!touchesMetrics(patch)) return super.applyChange(id, expectedVersion, actionKey, patch, event, effects);
    const mark = await this.metricsRows.mark(id);
    const result = await super.applyChange(id, expectedVersion, actionKey, patch, event, effects);
    await this.settle(id, mark, typeof result === 'string' ? undefined : result);
    return result;
  }

  /** Refreshes the row from what this write stored (nothing when it stored nothing), then takes the mark away. */
  private async settle(id: string, mark: string, written: Incident | undefined): Promise<void> {
    try {
      if (written) await this.metricsRows.refresh(written);
      await this.metricsRows.unmark(id, mark);
    } catch {
      // The change itself is stored, and the person must hear so: the mark stays, and the next
      // report refreshes this row once the mark is old enough to be nobody's work in progress.
    }
  }
}
