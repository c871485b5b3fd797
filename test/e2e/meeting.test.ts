import { expect } from 'chai';
import { ALEX, LEE, MEGAN, cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { provisioned, startTestApp, TENANT } from '../helpers/testApp.js';

describe('the incident room inside the meeting', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('pins the incident tab in the meeting chat (and so the side panel), with the app installed there', async () => {
    room = await openIncidentRoom();
    const incident = await room.incident();
    const chatId = `19:meeting_${incident.meeting!.id}@thread.v2`;
    expect(incident.meeting!.chatId).to.equal(chatId);
    expect(incident.provisioning.steps.meetingTab.status).to.equal('done');
    const chat = room.t.local.world.chats.get(chatId)!;
    expect([...chat.installedApps]).to.deep.equal([room.t.app.config.appCatalogId]);
    expect(chat.tabs).to.have.length(1);
    expect(chat.tabs[0]!.configuration).to.deep.include({ contentUrl: incident.tab!.contentUrl, entityId: incident.id });
    expect(incident.meetingTab).to.deep.include({ id: chat.tabs[0]!.id, contentUrl: incident.tab!.contentUrl });
    const kinds = (await room.t.app.database.store.listEvents(incident.id)).map((e) => e.kind);
    expect(kinds).to.include('meeting_tab_added');
  });

  it('retries a failed meeting tab, and after an earlier install (409) still pins it once', async () => {
    const t = await startTestApp();
    try {
      t.local.graph.faults.add({ method: 'POST', path: /\/chats\/[^/]+\/tabs$/, status: 503, times: 1 });
      t.local.graph.faults.add({ method: 'POST', path: /\/chats\/[^/]+\/installedApps$/, status: 409, times: 1 });
      await t.message('declare Search is slow');
      const [incident] = await provisioned(t);
      expect(incident!.provisioning.steps.meetingTab).to.include({ status: 'done', attempts: 2 });
      const chat = t.local.world.chats.get(incident!.meeting!.chatId!)!;
      expect(chat.tabs).to.have.length(1);
    } finally {
      await t.close();
    }
  });

  it('says on the card what the admin must grant when the meeting tab is refused', async () => {
    const t = await startTestApp();
    try {
      t.local.graph.faults.add({ method: 'POST', path: /\/chats\/[^/]+\/installedApps$/, status: 403, times: 10 });
      await t.message('declare Payments queue is stuck');
      const [incident] = await provisioned(t);
      expect(incident!.provisioning.steps.meetingTab.status).to.equal('failed');
      expect(incident!.provisioning.steps.card.status, 'the rest of the room is unaffected').to.equal('done');
      const card = t.local.world.activitiesIn(incident!.channel!.id).find((a) => a.id === incident!.card!.activityId)!;
      expect(cardText(card.attachments![0]!.content)).to.contain('Meeting tab failed').and.to.contain('TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All');
    } finally {
      await t.close();
    }
  });

  it('records people joining and leaving the bridge on the timeline, once per event', async () => {
    room = await openIncidentRoom();
    const incident = await room.incident();
    const participants = (name: 'Join' | 'Leave', id: string, people: typeof ALEX[], chatId = incident.meeting!.chatId!) =>
      room.t.send({
        type: 'event',
        id,
        name: `application/vnd.microsoft.meetingParticipant${name}`,
        from: { id: '29:system' },
        conversation: { id: chatId, conversationType: 'groupChat', tenantId: TENANT, isGroup: true },
        channelData: { tenant: { id: TENANT }, meeting: { id: 'MCMxOTptZWV0aW5n' } },
        value: { members: people.map((p) => ({ user: { id: p.id, name: p.name, aadObjectId: p.aadObjectId, tenantId: TENANT }, meeting: { inMeeting: name === 'Join', role: 'Attendee' } })) },
      });
    expect((await participants('Join', 'evt-1', [MEGAN, LEE])).status).to.equal(200);
    await participants('Join', 'evt-1', [MEGAN, LEE]); // Teams redelivers
    await participants('Leave', 'evt-2', [LEE]);
    await participants('Join', 'evt-3', [ALEX], '19:meeting_someone-elses@thread.v2');
    const events = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'meeting_joined' || e.kind === 'meeting_left');
    expect(events.map((e) => [e.kind, e.actor.name])).to.have.deep.members([
      ['meeting_joined', MEGAN.name],
      ['meeting_joined', LEE.name],
      ['meeting_left', LEE.name],
    ]);
  });

  it('someone joining the bridge in local Teams reaches the timeline only while the bot subscribes to meeting events and the app is in the meeting chat', async () => {
    room = await openIncidentRoom();
    const incident = await room.incident();
    const { world, connector } = room.t.local;
    world.meetingEventRoute = { ...world.meetingEventRoute!, tenantId: TENANT }; // these tests' incidents belong to their own tenant
    const joinAs = async (name: string) => {
      const person = world.people.find((p) => p.name === name)!;
      const page = await fetch(`${connector.url}/view/meetings/${encodeURIComponent(incident.meeting!.id)}?as=${encodeURIComponent(person.id)}`);
      expect(page.status).to.equal(200);
      await room.t.app.actions.drain();
    };
    const joinedNames = async () => (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'meeting_joined').map((e) => e.actor.name);

    await joinAs(MEGAN.name);
    expect(await joinedNames()).to.deep.equal([MEGAN.name]);

    world.meetingEventSubscriptions = false; // the Developer Portal switch is off: Teams sends nothing, and nothing says so
    await joinAs(LEE.name);
    expect(await joinedNames()).to.deep.equal([MEGAN.name]);

    world.meetingEventSubscriptions = true;
    world.meetingChat(incident.meeting!.id).installedApps.clear(); // the app was never added to the meeting chat
    await joinAs(ALEX.name);
    expect(await joinedNames()).to.deep.equal([MEGAN.name]);
  });

  it('a calendar-event meeting with a short /meet/ link: its chat comes from Graph, never from the link', async () => {
    const t = await startTestApp();
    try {
      t.local.graph.calendarMeetings = 'short';
      await t.message('declare Short links');
      const [incident] = await provisioned(t);
      expect(incident!.meeting!.via).to.equal('calendarEvent');
      expect(incident!.meeting!.joinUrl).to.match(/\/meet\/[^/?]+\?p=/);
      expect(incident!.meeting!.chatId).to.equal(`19:meeting_${incident!.meeting!.id}@thread.v2`);
      expect(incident!.provisioning.steps.meetingTab.status).to.equal('done');
      expect(t.local.graph.requests.some((r) => r.method === 'GET' && /\/onlineMeetings$/.test(r.path))).to.equal(true);
    } finally {
      await t.close();
    }
  });

  it('a calendar event that comes back without a Teams meeting fails the meeting step with the hint, the rest of the room opens', async () => {
    const t = await startTestApp();
    try {
      t.local.world.meetingOrganizers.clear();
      t.local.graph.calendarMeetings = 'none';
      await t.message('declare No bridge');
      const [incident] = await provisioned(t);
      expect(incident!.provisioning.steps.meeting.status).to.equal('failed');
      expect(incident!.provisioning.steps.meeting.hint).to.contain('allowedOnlineMeetingProviders').and.contain('Calendars.ReadWrite');
      expect(incident!.card).to.exist;
    } finally {
      await t.close();
    }
  });

  it('adds the app to the meeting chat with consent to its chat RSC permissions, as Graph requires of an app that declares them', async () => {
    room = await openIncidentRoom();
    const install = room.t.local.graph.requests.find((r) => r.method === 'POST' && /\/installedApps$/.test(r.path))!;
    expect((install.body as Record<string, unknown>).consentedPermissionSet).to.deep.equal({
      resourceSpecificPermissions: [
        { permissionValue: 'OnlineMeetingParticipant.Read.Chat', permissionType: 'Application' },
        { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'Application' },
        { permissionValue: 'ChatMessage.Read.Chat', permissionType: 'Application' },
      ],
    });
  });

  it('without the consenting install permission Graph refuses, and the card names the permission to grant', async () => {
    const t = await startTestApp();
    try {
      t.local.graph.granted.delete('TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All');
      t.local.graph.granted.add('TeamsAppInstallation.ReadWriteSelfForChat.All');
      await t.message('declare Consent needed');
      const [incident] = await provisioned(t);
      expect(incident!.provisioning.steps.meetingTab).to.include({ status: 'failed' });
      expect(incident!.provisioning.steps.meetingTab.hint).to.contain('TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All');
    } finally {
      await t.close();
    }
  });
});
