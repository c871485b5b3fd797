/**
 * The tab's one search over the incident's record (issue 23, item 4), end to end against the
 * running app: what people did and wrote is found, a private incident's record only by its
 * members, and bad input is answered with what was typed.
 */
import { expect } from 'chai';
import { MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

describe('record search in the tab (end to end)', () => {
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('finds notes, updates and an acknowledgement by a phrase (any case), oldest first, each with who did it', async () => {
    room = await openIncidentRoom();
    const incident = await room.incident();
    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    await room.click('ack');
    await api.note('Rolled back deploy 4711; error rate falling');
    await room.say('update Rollback of deploy 4711 is done, watching the error rate');
    await room.t.app.actions.drain();

    const found = await api.get('/search?q=deploy%204711');
    expect(found.status).to.equal(200);
    const hits = found.body.hits as { source: string; who: string; text: string; at: string }[];
    expect(hits.map((h) => [h.source, h.text])).to.deep.equal([
      ['timeline', 'noted: Rolled back deploy 4711; error rate falling'],
      ['timeline', 'posted an update: Rollback of deploy 4711 is done, watching the error rate'],
    ]);
    expect(hits.map((h) => h.who)).to.deep.equal(['Alex Wilber', 'Alex Wilber']);
    expect(new Date(hits[0]!.at) <= new Date(hits[1]!.at)).to.equal(true);

    const acked = await api.get('/search?q=ACKNOWLEDGED');
    expect((acked.body.hits as { text: string }[]).map((h) => h.text)).to.deep.equal(['acknowledged the incident']);
  });

  it('answers a search it cannot run with why, and the words typed', async () => {
    room = await openIncidentRoom();
    const api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const short = await api.get('/search?q=%20x%20');
    expect(short.status).to.equal(400);
    expect(short.body).to.deep.equal({ error: 'Nothing was searched: type at least 2 characters to search.', q: ' x ' });
    expect((await api.get('/search')).status).to.equal(400);
    expect((await api.get('/search?q=db&extra=1')).status).to.equal(400);
  });

  it("searches a private incident's record for its members only: anyone else is told there is no such incident", async () => {
    room = await openIncidentRoom({}, 'Payroll export leaks salaries --sev P1 --private');
    const incident = await room.incident();
    await tabApi(room.t.app.url, incident.id, signedInAs(room.t.app)).note('salary file found on the share');
    const member = await tabApi(room.t.app.url, incident.id, signedInAs(room.t.app)).get('/search?q=salary%20file');
    expect(member.body.hits).to.have.length(1);
    const outsider = await tabApi(room.t.app.url, incident.id, signedInAs(room.t.app, MEGAN)).get('/search?q=salary%20file');
    expect(outsider.status).to.equal(404);
    expect(JSON.stringify(outsider.body)).to.not.contain('salary');
  });
});
