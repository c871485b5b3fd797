/**
 * Universal Actions: Teams expects HTTP 200 for every card action the bot processed, with the
 * outcome in the body's statusCode (200, 400, 401, 412 or 500 only).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { cardAction } from '../../local/teamsActivities.js';
import { StoreUnavailableError } from '../../models/ports/storeUnavailable.js';

const ALLOWED = [200, 400, 401, 412, 500];

describe('Universal Actions answers', () => {
  let room: IncidentRoom;
  before(async () => (room = await openIncidentRoom()));
  after(() => room.close());

  const invoke = async (value: unknown) => {
    const incident = await room.incident();
    return room.t.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: randomUUID(),
      replyToId: incident.card!.activityId,
      conversation: { id: `${incident.channel!.id};messageid=${incident.card!.activityId}`, tenantId: incident.tenantId, conversationType: 'channel' },
      value,
    });
  };

  it('answers HTTP 200 for every outcome, with an allowed statusCode in the body', async () => {
    const incident = await room.incident();
    const data = { incidentId: incident.id, v: incident.version };
    const outcomes = {
      applied: await invoke(cardAction('ack', data)),
      refused: await invoke(cardAction('ack', data)),
      stale: await invoke(cardAction('severity', { ...data, severityTo: 'P1' })),
      unknownVerb: await invoke(cardAction('launchRockets', data)),
      badData: await invoke(cardAction('status', { ...data, statusTo: 'exploded' })),
      notExecute: await invoke({ action: { type: 'Action.Submit' } }),
    };
    for (const [what, answer] of Object.entries(outcomes)) {
      expect(answer.status, what).to.equal(200);
      expect(ALLOWED, what).to.include(answer.body.statusCode);
    }
    expect(outcomes.notExecute.body.statusCode).to.equal(400);
    expect(JSON.stringify(outcomes.refused.body)).to.contain('already acknowledged');
  });

  it('answers HTTP 200 with statusCode 500 and a clear message when the database is away', async () => {
    const store = room.t.app.database.store as { findById: unknown };
    store.findById = () => Promise.reject(new StoreUnavailableError(new Error('connection closed')));
    try {
      const answer = await room.t.send({ type: 'invoke', name: 'adaptiveCard/action', id: randomUUID(), value: cardAction('ack', { incidentId: 'a'.repeat(24), v: 1 }) });
      expect(answer.status).to.equal(200);
      expect(answer.body.statusCode).to.equal(500);
      expect(answer.body.value.message).to.contain('cannot be reached right now; nothing was changed');
    } finally {
      delete store.findById; // the store's own method again
    }
  });
});
