/**
 * Words people and monitors send are looked up as own keys only: `constructor`, `__proto__`,
 * `toString`, `hasOwnProperty` as a severity label, an on-call sub-command, a role, a card verb or
 * a tab action get the ordinary "not one of these" answer, never a crash or a stored function.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('security: Object.prototype words are not lookups', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  before(async () => {
    room = await openIncidentRoom();
  });
  after(() => room?.close());

  it('a monitor’s severity label of a prototype word gets the default severity, and the sweep carries on', async () => {
    for (const word of WORDS) {
      const answer = await fetch(`${room.t.app.url}/api/alerts/generic`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` },
        body: JSON.stringify({ title: `Disk full on ${word}`, fingerprint: `fp-${word}`, severity: word }),
      });
      expect(answer.status, word).to.be.oneOf([200, 202]);
    }
    await room.t.app.alerts.sweep();
    const incidents = await room.t.app.database.store.listOpen(LOCAL.tenantId, 50);
    for (const word of WORDS) {
      const incident = incidents.find((i) => i.title === `Disk full on ${word}`);
      expect(incident, word).to.not.equal(undefined);
      expect(incident!.severity, word).to.be.oneOf(['P0', 'P1', 'P2', 'P3']);
    }
  });

  it('chat commands answer prototype words as unknown words', async () => {
    for (const word of WORDS) {
      expect((await room.say(`oncall ${word}`)).text, `oncall ${word}`).to.contain('Use `oncall` to see the rota');
      expect((await room.say(`role ${word} me`)).text, `role ${word}`).to.contain('Which role?');
      expect((await room.say(`status ${word}`)).text, `status ${word}`).to.contain('Which status?');
      expect((await room.say(`sev ${word}`)).text, `sev ${word}`).to.contain('Which severity?');
    }
    const incident = await room.incident();
    expect(Object.keys(incident.roles).every((role) => !WORDS.includes(role))).to.equal(true);
  });

  it('a card verb or a tab action of a prototype word is refused, not run', async () => {
    for (const word of WORDS) {
      const answer = await room.click(word);
      expect(JSON.stringify(answer), word).to.match(/statusCode":(400|200)/).and.not.match(/statusCode":500/);
    }
    const api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    for (const word of WORDS) expect((await api.post('/actions', { action: word, key: randomUUID() })).status, word).to.equal(400);
  });
});
