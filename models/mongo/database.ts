import mongoose, { type Connection } from 'mongoose';
import { MetricsTrackingStore } from './metricsTracking.js';
import { MongoJobStore } from './jobStore.js';
import { MongoTranscriptStore } from './transcriptStore.js';
import { MongoOnCallStore } from './onCallStore.js';
import { MongoAlertStore } from './alertStore.js';
import { MongoEffectStore } from './effectStore.js';
import { MongoMetricsStore } from './metricsStore.js';
import { MongoTrackerLinkStore } from './trackerLinkStore.js';
import { MongoRecordStore } from './recordStore.js';
import { reportingUnavailable } from './unavailable.js';
import { MongoTimelineMatcher } from './timelineMatch.js';

/** Every store over one MongoDB connection, and the connection's health. */
export interface Database {
  readonly connection: Connection;
  readonly store: MetricsTrackingStore;
  readonly jobs: MongoJobStore;
  /** The bridge's transcripts, chunked (transcript_chunks). */
  readonly transcripts: MongoTranscriptStore;
  readonly onCall: MongoOnCallStore;
  readonly alerts: MongoAlertStore;
  readonly effects: MongoEffectStore;
  readonly metrics: MongoMetricsStore;
  /** Where each post-mortem action item lives in its tracker. */
  readonly trackerLinks: MongoTrackerLinkStore;
  /** The incident channels' conversations (chat entries) and the notes on key messages. */
  readonly record: MongoRecordStore;
  /** The timeline's part of the tab's search. */
  readonly timelineMatch: MongoTimelineMatcher;
  /** Resolves when the server answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * At start, MongoDB may come up after us (compose, a failover, a cold Atlas cluster): keep
 * trying for `forMs`, saying each time which server and why, then give up with that message.
 */
export async function openDatabaseWhenReachable(uri: string, forMs: number, log: { warn(obj: object, msg?: string): void }, attemptTimeoutMs = 5_000): Promise<Database> {
  const deadline = Date.now() + forMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase(uri, attemptTimeoutMs);
    } catch (error) {
      const wait = Math.min(10_000, 500 * 2 ** attempt);
      if (Date.now() + wait >= deadline) throw new Error(`${(error as Error).message} (gave up after ${attempt} attempts over ${Math.round(forMs / 1000)} s; check MONGODB_URI, the network path and the credentials)`);
      log.warn({ attempt, retryInMs: wait, err: (error as Error).message }, 'MongoDB is not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Connects, failing with a message that says which URI and why, rather than hanging. */
export async function openDatabase(uri: string, timeoutMs = 10_000): Promise<Database> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: timeoutMs, autoIndex: false, ignoreUndefined: true });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    const redacted = uri.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(`cannot reach MongoDB at ${redacted}: ${(error as Error).message}`);
  }
  // Each write that changes a figure also keeps the incident's metrics row current.
  const store = new MetricsTrackingStore(connection);
  const jobs = new MongoJobStore(connection);
  const alerts = new MongoAlertStore(connection);
  const trackerLinks = new MongoTrackerLinkStore(connection);
  const transcripts = new MongoTranscriptStore(connection);
  const record = new MongoRecordStore(connection);
  await Promise.all([store.init(), jobs.init(), alerts.init(), trackerLinks.init(), transcripts.init(), record.init()]);
  const ping = async (pingTimeoutMs = 2_000) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${pingTimeoutMs} ms`)), pingTimeoutMs)));
    try {
      await Promise.race([connection.db!.admin().ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    connection,
    store: reportingUnavailable(store),
    jobs: reportingUnavailable(jobs),
    alerts: reportingUnavailable(alerts),
    effects: reportingUnavailable(new MongoEffectStore(connection)),
    onCall: reportingUnavailable(new MongoOnCallStore(connection)),
    metrics: reportingUnavailable(new MongoMetricsStore(connection)),
    trackerLinks: reportingUnavailable(trackerLinks),
    record: reportingUnavailable(record),
    timelineMatch: reportingUnavailable(new MongoTimelineMatcher(connection)),
    transcripts: reportingUnavailable(transcripts),
    ping,
    close: () => connection.close(),
  };
}
