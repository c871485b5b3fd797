import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { loadConfig } from '../../config.js';
import { cardProblems } from '../helpers/cards.js';
import { ALEX, LEE, MEGAN, cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

describe('status page: the Communications lead publishes the public status (Statuspage round trip)', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  beforeEach(async () => {
    room = await openIncidentRoom({ STATUS_PAGE: 'statuspage' });
    await room.click('assignRole', { role: 'communications', person: MEGAN.aadObjectId });
  });
  afterEach(() => room.close());

  const page = () => room.t.local.statuspage!;
  const publish = (status: string, text: string, from = MEGAN) => room.click('publicStatus', { publicStatus: status, publicText: text }, { from });

  it('creates the public incident with our id in its metadata, then updates and resolves it; internal updates stay internal', async () => {
    const answer = await publish('investigating', 'We are investigating errors at checkout.');
    expect(cardText(answer)).to.contain('set the public status of INC-1 to investigating');
    const incident = await room.incident();
    const [publicIncident] = [...page().incidents.values()];
    expect(publicIncident).to.deep.include({ name: incident.title, status: 'investigating', impact: 'minor', metadata: { incident_room: { id: incident.id } } });
    expect(publicIncident!.updates.map((u) => u.body)).to.deep.equal(['We are investigating errors at checkout.']);
    expect(incident.publicStatus).to.deep.include({ status: 'investigating', page: { id: publicIncident!.id, url: publicIncident!.shortlink } });

    await room.say('update Internal: the rollback of payments-api 1.42 is half done');
    await publish('identified', 'We found the cause and are rolling out a fix.');
    await publish('resolved', 'Checkout works normally again.');
    expect(page().incidents.size).to.equal(1);
    expect(publicIncident!.status).to.equal('resolved');
    expect(publicIncident!.updates.map((u) => [u.status, u.body])).to.deep.equal([
      ['investigating', 'We are investigating errors at checkout.'],
      ['identified', 'We found the cause and are rolling out a fix.'],
      ['resolved', 'Checkout works normally again.'],
    ]);
    const kinds = (await room.t.app.database.store.listEvents(incident.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'public_status_updated')).to.have.length(3);
    expect(kinds.filter((k) => k === 'public_status_published')).to.have.length(3);
    const card = room.t.local.world.activitiesIn(incident.channel!.id).find((a) => a.id === incident.card!.activityId)!.attachments![0]!.content as object;
    expect(cardProblems(card)).to.deep.equal([]);
    expect(cardText(card)).to.contain('Public status').and.to.contain('resolved');
  });

  it('lets only the Communications lead (or the commander, or an incident admin) publish, and refuses empty or repeated text', async () => {
    expect(cardText(await publish('investigating', 'Anything', LEE))).to.contain('Only the Communications lead (Megan Bowen), the Incident Commander').and.contain('can update the public status page');
    expect(cardText(await publish('investigating', '   '))).to.satisfy((t: string) => /Write what customers should read first|publicText/.test(t));
    await publish('investigating', 'Looking into it.');
    expect(cardText(await publish('investigating', 'Looking into it.'))).to.contain('already says exactly that');
    expect(page().incidents.size).to.equal(1);
    // A retried click (same Teams activity id) publishes once.
    const id = randomUUID();
    await room.click('publicStatus', { publicStatus: 'identified', publicText: 'Cause found.' }, { from: MEGAN, id });
    await room.click('publicStatus', { publicStatus: 'identified', publicText: 'Cause found.' }, { from: MEGAN, id });
    expect([...page().incidents.values()][0]!.updates).to.have.length(2);
  });

  it('retries throttling, reports a failure on the card and in the channel, and finds an incident created before a crash', async () => {
    page().faults.add({ method: 'PATCH', path: /\/incidents\//, status: 429, retryAfterSeconds: 1, times: 1 });
    // A process died after Statuspage created the public incident and before we recorded it:
    // the next publish finds it by our id in its metadata instead of making a second one.
    const incident = await room.incident();
    const seeded = await fetch(`${page().url}/v1/pages/${page().pageId}/incidents`, {
      method: 'POST',
      headers: { Authorization: `OAuth ${page().apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ incident: { name: incident.title, status: 'investigating', body: 'First words.', metadata: { incident_room: { id: incident.id } } } }),
    });
    expect(seeded.status).to.equal(201);
    await publish('investigating', 'First words, again.');
    expect(page().incidents.size, 'found, not created again, after the 429').to.equal(1);

    page().faults.add({ method: 'PATCH', path: /\/incidents\//, status: 503, times: 10 });
    await publish('identified', 'Second words.');
    const failed = await room.incident();
    expect(failed.publicStatus!.error).to.match(/HTTP 503/);
    const notice = room.t.local.world.activitiesIn(failed.channel!.id).find((a) => a.text?.includes('The status page (Statuspage) was not updated'));
    expect(notice?.text).to.contain('<at>Megan Bowen</at>');
    page().faults.clear();
    await publish('identified', 'Second words.');
    expect((await room.incident()).publicStatus!.error).to.equal(undefined);
    expect([...page().incidents.values()][0]!.updates.map((u) => u.body)).to.deep.equal(['First words.', 'First words, again.', 'Second words.']);
  });

  it('fails fast in real mode without the Statuspage key and page id', () => {
    const real = {
      MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: '66666666-7777-8888-9999-000000000000',
      TEAMS_APP_ID: '99999999-8888-7777-6666-555555555555', TEAMS_TEAM_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', TEAMS_APP_CATALOG_ID: 'catalog',
      MONGODB_URI: 'mongodb://db:27017/x', PUBLIC_BASE_URL: 'https://incidents.contoso.com', STATUS_PAGE: 'statuspage',
    };
    expect(() => loadConfig(real)).to.throw(/STATUSPAGE_API_KEY is required[\s\S]*STATUSPAGE_PAGE_ID is required/);
    expect(() => loadConfig({ ...real, STATUSPAGE_API_KEY: 'k', STATUSPAGE_PAGE_ID: 'https://status.contoso.com' })).to.throw(/STATUSPAGE_PAGE_ID must be the page id/);
    expect(loadConfig({ ...real, STATUSPAGE_API_KEY: 'k', STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd' }).statusPage).to.deep.include({ apiUrl: 'https://api.statuspage.io', pageId: 'kctbh9vrtdwd' });
  });
});
