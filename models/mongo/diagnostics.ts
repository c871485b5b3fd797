import type { Connection } from 'mongoose';

/** The MongoDB server's version, as `buildInfo` reports it. */
export async function serverVersion(connection: Connection): Promise<string> {
  const info = (await connection.db!.admin().command({ buildInfo: 1 })) as { version?: unknown };
  return typeof info.version === 'string' ? info.version : 'unknown';
}

export interface MeetingEventEvidence {
  /** Incidents since `since` whose bridge had the app in its chat and stayed open at least `minMinutes`. */
  readonly bridges: number;
  /** How many of them recorded anyone joining the bridge. */
  readonly withJoins: number;
}

/**
 * Meeting join/leave events reach the bot only when the bot's registration subscribes to them;
 * nothing tells the app when that switch is off. The record does: bridges where people surely
 * were (incidents that stayed open a while) and not one join recorded.
 */
export async function meetingEventEvidence(connection: Connection, since: Date, minMinutes = 15): Promise<MeetingEventEvidence> {
  const incidents = connection.collection('incidents');
  const candidates = await incidents
    .find(
      { 'milestones.declared': { $gte: since }, 'meeting.chatId': { $exists: true }, 'provisioning.steps.meetingTab.status': 'done' },
      { projection: { _id: 1, milestones: 1 } },
    )
    .limit(200)
    .toArray();
  const longEnough = candidates.filter((doc) => {
    const m = (doc.milestones ?? {}) as { declared?: Date; resolved?: Date; closed?: Date };
    const end = m.resolved ?? m.closed ?? new Date();
    return m.declared && end.getTime() - m.declared.getTime() >= minMinutes * 60_000;
  });
  if (longEnough.length === 0) return { bridges: 0, withJoins: 0 };
  const joined = await connection.collection('timeline_events').distinct('incidentId', { incidentId: { $in: longEnough.map((doc) => doc._id) }, kind: 'meeting_joined' });
  return { bridges: longEnough.length, withJoins: joined.length };
}

/** A short-lived connection for the admin's checks: the server's version and what the record shows. */
export async function openDiagnostics(uri: string, timeoutMs = 10_000) {
  const { default: mongoose } = await import('mongoose');
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: timeoutMs, autoIndex: false });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw new Error(`cannot reach MongoDB at ${uri.replace(/\/\/[^@/]*@/, '//***@')}: ${(error as Error).message}`);
  }
  return {
    version: () => serverVersion(connection),
    meetingEventEvidence: (since: Date) => meetingEventEvidence(connection, since),
    close: () => connection.close(),
  };
}
