/**
 * The metrics from the rows kept as incidents are written (metricsRows.ts): the tenant's rows
 * made current (built once, then any row a crash left behind), read as a few hundred day
 * documents, and the report computed in memory in one pass (models/metrics/metricsReport.ts),
 * for any time zone. The post-mortems' causes and action items are read as they are stored.
 */
import type { Connection } from 'mongoose';
import type { MetricsQuery, MetricsReport, MetricsStore } from '../metrics/metrics.js';
import { monthsOf } from '../metrics/metrics.js';
import { metricsReport } from '../metrics/metricsReport.js';
import { MongoMetricsRows } from './metricsRows.js';

export class MongoMetricsStore implements MetricsStore {
  private readonly rows: MongoMetricsRows;

  constructor(connection: Connection) {
    this.rows = new MongoMetricsRows(connection);
  }

  async metrics(query: MetricsQuery, now: Date): Promise<MetricsReport> {
    await this.rows.ensure(query.tenantId);
    // Open-at-month-end counts incidents declared before the last month ends, from any time before.
    const last = monthsOf(query.from, query.to, query.timeZone).at(-1)?.end.getTime() ?? query.to.getTime();
    const [rows, postmortems] = await Promise.all([this.rows.read(query.tenantId, Math.max(last, query.to.getTime())), this.rows.postmortems(query.tenantId)]);
    return metricsReport(query, rows, postmortems, now);
  }

  /** Builds the tenant's rows from its stored incidents now (the migration a first report would otherwise do). */
  async backfill(tenantId: string): Promise<number> {
    return this.rows.backfill(tenantId);
  }
}
