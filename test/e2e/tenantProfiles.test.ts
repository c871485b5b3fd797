import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ALEX, eventually, provisioned, startTestApp, type TestApp, toBot } from '../helpers/testApp.js';
import { cardText } from '../helpers/incidentRoom.js';
import { IncidentTab } from '../../models/record/incidentTab.js';

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** One file: a default section (the test app's own tenant) and a section for Contoso. */
const CONFIG = {
  default: {
    channelNamePattern: 'incident-{number}-{slug}',
    texts: { cardBanner: '📘 [Handbook](https://wiki.example.com/incidents) for {label}' },
  },
  tenants: {
    [CONTOSO]: {
      name: 'Contoso',
      channelNamePattern: 'issue-{slug}-{dd}{mm}-{number}',
      severities: { P0: { label: 'Sev 1', definition: 'Checkout is down.' }, P1: { label: 'Sev 2', definition: 'Checkout degraded for many customers.' } },
      checklists: { P1: [{ id: 'bridge', phase: 'Start', text: 'Everyone on the bridge' }, { id: 'owner', phase: 'Start', text: 'Name an owner' }] },
      texts: { meetingSubject: '[{severity}] {label}: {title}', broadcastFooter: 'Contoso: questions in this thread please.' },
    },
  },
};

describe('naming and templates per tenant (TENANT_CONFIG_FILE)', () => {
  let t: TestApp;
  beforeEach(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tenants-')), 'tenants.json');
    writeFileSync(file, JSON.stringify(CONFIG));
    t = await startTestApp({ TENANT_CONFIG_FILE: file });
  });
  afterEach(async () => {
    await t.close();
  });

  it("each incident gets its own tenant's channel name, meeting subject, severity words, card texts and checklist", async () => {
    // The test app's tenant has no section: the default one applies.
    await t.message('declare Checkout API returns 500s --sev P1');
    // Contoso's user declares in Contoso's team.
    const contosoConversation = { id: '19:contoso-general@thread.tacv2', tenantId: CONTOSO, conversationType: 'channel', isGroup: true };
    const declared = await t.send({
      type: 'message',
      id: randomUUID(),
      from: ALEX,
      ...toBot('declare Payments are slow --sev P1'),
      conversation: contosoConversation,
      channelData: { tenant: { id: CONTOSO }, channel: { id: contosoConversation.id } },
    });
    expect(declared.status).to.equal(200);
    const incidents = await provisioned(t, 2);
    const ours = incidents.find((i) => i.title === 'Checkout API returns 500s')!;
    const contoso = incidents.find((i) => i.tenantId === CONTOSO)!;
    expect(contoso.title).to.equal('Payments are slow');

    // Channel names from each pattern
    const declaredOn = contoso.milestones.declared;
    const ddmm = `${String(declaredOn.getUTCDate()).padStart(2, '0')}${String(declaredOn.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(ours.channel!.name).to.equal(`incident-${ours.number}-checkout-api-returns-500s`);
    expect(contoso.channel!.name).to.equal(`issue-payments-are-slow-${ddmm}-${contoso.number}`);

    // Meeting subjects
    const subjects = [...t.local.world.meetings.values()].map((m) => m.subject);
    expect(subjects).to.include(`INC-${ours.number} bridge: Checkout API returns 500s`);
    expect(subjects).to.include(`[P1] INC-${contoso.number}: Payments are slow`);

    // Cards: Contoso's words for P1; the default banner on both (it is in the default section)
    const card = (id: string) => cardText(t.local.world.cardsIn(id)[0]!.card);
    expect(card(contoso.channel!.id)).to.contain('P1 Sev 2').and.contain('Checkout degraded for many customers.').and.contain('[Handbook](https://wiki.example.com/incidents) for INC-');
    expect(card(ours.channel!.id)).to.contain('P1 Major').and.not.contain('Sev 2');
    // The broadcast footer
    const broadcasts = t.local.world.cardsIn('19:production-issues@thread.tacv2').map((c) => cardText(c.card));
    expect(broadcasts.some((b) => b.includes('Contoso: questions in this thread please.') && b.includes('Payments are slow'))).to.equal(true);
    expect(broadcasts.some((b) => b.includes('Updates follow in this thread.') && b.includes('Checkout API returns 500s'))).to.equal(true);

    // The tab's view of it: Contoso's checklist and severity words. (The tab signs people in to the
    // app's own tenant only, as Teams SSO does, so this reads what its API would answer.)
    const tab = new IncidentTab({ store: t.app.database.store, profiles: t.app.config.profiles });
    expect(tab.severity(contoso)).to.include({ label: 'Sev 2', definition: 'Checkout degraded for many customers.' });
    expect(tab.checklist(contoso).items.map((i) => i.id)).to.deep.equal(['bridge', 'owner']);

    // A severity change speaks the tenant's words too
    await t.send({
      type: 'message',
      id: randomUUID(),
      from: ALEX,
      ...toBot('sev P0'),
      conversation: { id: contoso.channel!.id, tenantId: CONTOSO, conversationType: 'channel', isGroup: true },
      channelData: { tenant: { id: CONTOSO }, channel: { id: contoso.channel!.id } },
    });
    await eventually(() => t.local.world.activitiesIn(contoso.channel!.id).some((a) => cardText(a).includes('from P1 to P0 (Sev 1)')), 5_000, 'the change in the channel');
  });
});
