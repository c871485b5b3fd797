import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import mammoth from 'mammoth';
import { cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

/**
 * Publishing files the post-mortem as a Word document in the incident channel's files (the
 * team's SharePoint library, through Graph's filesFolder and a simple upload), links it on the
 * card and records it; once per version, and a failure is said, kept on the record and retried
 * by publishing again.
 */
describe('the published post-mortem filed in the channel’s files', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  const publish = () => api.post('/postmortem/publish', { version: 1, key: randomUUID() });

  beforeEach(async () => {
    room = await openIncidentRoom();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const draft = (await api.get('/postmortem')).body.content;
    expect((await api.put('/postmortem', { baseVersion: 0, key: randomUUID(), content: { ...draft, wentWell: 'The rollback was quick.' } })).body.version).to.equal(1);
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    await room.click('status', { statusTo: 'identified' });
    await room.click('resolve');
  });
  afterEach(() => room.close());

  it('files the published version as a Word document, links it on the card, and records it once', async () => {
    const published = await publish();
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    expect(published.body.message).to.contain('It is in the channel’s files as INC-1-postmortem-v1.docx.');
    const files = [...room.t.local.world.files.values()];
    expect(files.map((f) => f.name)).to.deep.equal(['INC-1-postmortem-v1.docx']);
    expect(files[0]!.contentType).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // The file is the post-mortem: opened again, it has its title and what was written.
    const { value: html } = await mammoth.convertToHtml({ buffer: files[0]!.content });
    expect(html).to.contain('<h1>INC-1 post-mortem: Checkout API returns 500s</h1>').and.contain('The rollback was quick.');

    const incident = await room.incident();
    expect(incident.postmortem?.filed).to.deep.equal({ version: 1, name: 'INC-1-postmortem-v1.docx', webUrl: files[0]!.webUrl });
    const card = room.t.local.world.cardsIn(incident.channel!.id).find((c) => c.activity.id === incident.card!.activityId)!;
    expect(cardText([{ content: card.card }])).to.contain(`[version 1 as a Word document](${files[0]!.webUrl})`);
    // Publishing again (a retried click) neither files a copy nor records it twice.
    await publish();
    expect(room.t.local.world.files.size).to.equal(1);
    const filed = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'postmortem_filed');
    expect(filed.map((e) => ({ who: e.actor.name, ...(e.payload as object) }))).to.deep.equal([{ who: 'Alex Wilber', version: 1, name: 'INC-1-postmortem-v1.docx', webUrl: files[0]!.webUrl }]);
  });

  it('without permission to upload, says so and keeps it on the record; publishing again once it is granted files it', async () => {
    room.t.local.graph.granted.delete('Files.ReadWrite.All');
    const published = await publish();
    expect(published.status).to.equal(200);
    expect(published.body.deliveryProblem).to.contain('filing it in the channel’s files failed').and.contain('Files.ReadWrite.All');
    expect(room.t.local.world.files.size).to.equal(0);
    const failed = (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'delivery_failed');
    expect(failed.map((e) => (e.payload as { what: string }).what)).to.deep.equal(['Filing the post-mortem in the channel’s files']);
    expect((await room.incident()).postmortem?.publishedVersion).to.equal(1);

    room.t.local.graph.granted.add('Files.ReadWrite.All');
    const again = await publish();
    expect(again.body.message).to.contain('Version 1 was already published.').and.contain('INC-1-postmortem-v1.docx');
    expect((await room.incident()).postmortem?.filed?.version).to.equal(1);
  });

  it('is off when FILE_POSTMORTEMS=false: published, nothing filed', async () => {
    await room.close();
    room = await openIncidentRoom({ FILE_POSTMORTEMS: 'false' });
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const draft = (await api.get('/postmortem')).body.content;
    await api.put('/postmortem', { baseVersion: 0, key: randomUUID(), content: draft });
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    await room.click('resolve');
    expect((await publish()).status).to.equal(200);
    expect(room.t.local.world.files.size).to.equal(0);
    expect((await room.incident()).postmortem?.filed).to.equal(undefined);
  });
});
