import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DEFAULT_SOP } from '../../models/incident/checklist.js';
import { BUILT_IN_TYPES } from '../../models/incident/incidentTypes.js';
import { LOCAL } from '../../local/defaults.js';
import { asRead, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { cardText } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { movableClock } from '../helpers/clock.js';
import { tenantConfigFile, TENANT } from '../helpers/testApp.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [, megan, lee, adele] = SAMPLE_PEOPLE.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId }));

function onCallFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'oncall-')), 'oncall.json');
  const midnight = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
  writeFileSync(path, JSON.stringify({ rota: { name: 'sre', people: [megan, lee], start: midnight, shiftHours: 24 * 7 }, policy: [{ target: 'primary' }, { target: 'secondary' }] }));
  return path;
}

const security = BUILT_IN_TYPES.list.find((t) => t.id === 'security')!;

describe('an incident runs by its type: checklist, channel name, close guard, broadcast, paging', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  const broadcastRoot = async () => {
    const incident = await room.incident();
    return incident.broadcast ? room.t.local.world.activities.find((a) => a.id === incident.broadcast!.activityId) : undefined;
  };

  it('a security incident: its channel name, its checklist added to the severity\'s, one redacted broadcast line, and no close without a Technical lead', async () => {
    room = await openIncidentRoom({}, 'Admin account phished --type security --field vector=Phishing');
    const incident = await room.incident();
    expect(incident.channel!.name).to.match(/^sec-1/);

    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    const { body } = await api.get();
    const ids = body.checklist.items.map((i: { id: string }) => i.id);
    expect(ids).to.deep.equal([...DEFAULT_SOP.P1.map((i) => i.id), ...security.checklist.items.map((i) => i.id)]);
    expect((await api.put('/checklist/evidence', { done: true, key: randomUUID() })).status).to.equal(200);

    const root = await broadcastRoot();
    const broadcast = cardText(root!.attachments![0]!.content);
    expect(broadcast).to.contain('A private incident is in progress, severity P1 (Major).');
    expect(broadcast).not.to.contain('phished').and.not.to.contain('Follow');

    // An update goes to the channel, not under the redacted broadcast.
    await room.say('update Reset the admin password');
    await room.t.app.actions.drain();
    const posted = JSON.stringify(room.t.local.world.activitiesIn(LOCAL.broadcastChannelId));
    expect(posted).not.to.contain('Reset the admin password');
    expect(JSON.stringify(room.t.local.world.activitiesIn(incident.channel!.id))).to.contain('Reset the admin password');

    await room.say('role ic me');
    await room.click('summary', { environment: 'Production', type: 'Self' });
    await room.say('resolve');
    const refused = asRead((await room.say('close')).text ?? '');
    expect(refused).to.contain('cannot be closed yet').and.contain('a Security incident needs a Technical lead before closing').and.contain('role tech @name');
    expect((await room.incident()).status).to.equal('resolved');
    await room.say('role tech me');
    expect((await room.say('close')).text).to.contain('closed INC-1');
  });

  it('an internal-tooling incident: its own checklist alone, no broadcast, nobody paged', async () => {
    room = await openIncidentRoom({}, 'CI runners are down --type internal-tooling');
    const incident = await room.incident();
    expect(incident).to.include({ severity: 'P3', type: 'internal-tooling' });
    expect(incident.channel!.name).to.match(/^tool-1-ci-runners-are-down/);
    expect(incident.broadcast).to.equal(undefined);
    expect(incident.provisioning.steps.broadcast.status).to.equal('skipped');
    const { body } = await tabApi(room.t.app.url, incident.id, signedInAs(room.t.app)).get();
    expect(body.checklist.items.map((i: { id: string }) => i.id)).to.deep.equal(['context', 'workaround', 'owner', 'one-fix', 'follow-up']);
  });

  describe('paging by type', () => {
    const open = async (title: string, settings: Record<string, string> = {}) => {
      const clock = movableClock();
      room = await openIncidentRoom({ ONCALL_FILE: onCallFile(), ...settings }, title, { clock, timers: false });
      await room.t.app.jobs.runDue();
      await room.t.app.actions.drain();
      return room.t.app.database.store.listEvents((await room.incident()).id);
    };

    it('a type that pages nobody pages nobody, and says so in the channel', async () => {
      const events = await open('CI runners are down --type internal-tooling');
      expect(events.filter((e) => e.kind === 'paged')).to.have.length(0);
      expect(events.some((e) => e.kind === 'reminder' && String(e.payload.text).includes('Internal tooling incidents page nobody'))).to.equal(true);
      expect((await room.incident()).paging).to.equal(undefined);
    });

    it('a type with its own policy pages its people, not the rota\'s primary', async () => {
      const config = tenantConfigFile({ default: { types: { security: { paging: { name: 'security on-call', levels: [{ target: { people: [adele] }, label: 'security on-call' }] } } } } });
      await open('Admin account phished --type security', { TENANT_CONFIG_FILE: config });
      const incident = await room.incident();
      expect(incident.tenantId).to.equal(TENANT);
      expect(incident.paging).to.deep.include({ level: 0, label: 'security on-call' });
      expect(incident.paging!.people.map((p) => p.name)).to.deep.equal([adele!.name]);
    });

    it('the default type pages the rota', async () => {
      await open('Checkout API returns 500s --sev P1');
      expect((await room.incident()).paging!.people.map((p) => p.name)).to.deep.equal([megan!.name]);
    });
  });
});
