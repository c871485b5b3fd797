import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { IncidentRoom } from './incidentRoom.js';
import type { tabApi } from './tabApi.js';

/**
 * A post-mortem's action items through the tab API, for the tracker tests: an item as the form
 * sends it, saving a new list on top of the latest version, the durable timers run as a poll
 * would, and the post-mortem as the tab reads it. `current` gives the test's room and API (set in
 * its beforeEach).
 */
export function actionItemsOf(current: () => { readonly room: IncidentRoom; readonly api: ReturnType<typeof tabApi> }, kind: 'hotfix' | 'proper fix' = 'proper fix') {
  return {
    item: (id: string, description: string, fields: Record<string, unknown> = {}) => ({ id, description, owner: 'Megan Bowen', due: '2026-12-15', kind, link: '', done: false, ...fields }),
    async save(actionItems: unknown[]) {
      const { api } = current();
      const latest = (await api.get('/postmortem')).body;
      const answer = await api.put('/postmortem', { baseVersion: latest.version, key: randomUUID(), content: { ...latest.content, actionItems } });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      return answer.body;
    },
    /** What a poll of the durable timers does, after the change's reactions ran. */
    async sync() {
      const { app } = current().room.t;
      await app.actions.drain();
      await app.jobs.runDue();
      await app.actions.drain();
    },
    view: async () => (await current().api.get('/postmortem')).body,
  };
}
