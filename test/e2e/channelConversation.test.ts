/**
 * The incident channel's conversation on the record (issue 23): every message Teams sends the bot
 * (RSC ChannelMessage.Read.Group) in an incident's channel is a chat entry; edits and deletes are
 * reflected; a redelivery changes nothing; the setting is per tenant and per type, default on,
 * and a private incident's conversation is kept only when its type says so.
 */
import { expect } from 'chai';
import { channelMessage, messageEvent, toBot } from '../../local/teamsActivities.js';
import { LOCAL } from '../../local/defaults.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { eventually, provisioned, startTestApp, tenantConfigFile, TENANT, type TestApp } from '../helpers/testApp.js';
import { ALEX, LEE, MEGAN } from '../helpers/people.js';
import type { Incident } from '../../models/incident/incident.js';

const admins = { access: { admins: [`user:${LOCAL.adminAadObjectId}`] } };

describe('the incident channel conversation on the record (end to end)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const place = (app: TestApp) => ({ serviceUrl: `${app.local.connector.url}/`, tenantId: TENANT });
  const post = async (app: TestApp, fields: Record<string, unknown>) => {
    const response = await fetch(`${app.app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) });
    expect(response.status, await response.text()).to.be.oneOf([200, 201, 202]);
  };
  const say = (app: TestApp, channelId: string, id: string, from: typeof ALEX, text: string, replyToId?: string) =>
    post(app, channelMessage(place(app), channelId, { id, from, text, replyToId, timestamp: `2026-11-23T10:0${id.slice(-1)}:00.000Z` }));
  const chat = async (app: TestApp, incident: Incident, query = '?order=asc') => (await tabApi(app.app.url, incident.id, signedInAs(app.app)).get(`/chat${query}`)).body;
  const declare = async (app: TestApp, line: string) => {
    await app.message(`declare ${line}`);
    const all = await provisioned(app);
    return all.at(-1)!;
  };

  it('keeps every message of the incident channel (threads too) with author, time, text and link; edits and deletes are reflected; redelivery is idempotent', async () => {
    t = await startTestApp();
    const incident = await declare(t, 'Checkout API returns 500s --sev P1');
    const channel = incident.channel!.id;
    await say(t, channel, '1732350000001', MEGAN, 'Error rate is <b>40%</b> since the 09:50 deploy');
    await say(t, channel, '1732350000002', LEE, 'Rolling back now', '1732350000001');
    // Teams redelivers: the same message id again changes nothing.
    await say(t, channel, '1732350000001', MEGAN, 'Error rate is <b>40%</b> since the 09:50 deploy');
    // A message elsewhere (General) is no incident's.
    await say(t, '19:general@thread.tacv2', '1732350000003', MEGAN, 'Lunch?');

    let page = await chat(t, incident);
    expect(page.kept).to.equal(true);
    expect(page.total).to.equal(2);
    expect(page.entries.map((e: any) => [e.actor, e.text, e.at])).to.deep.equal([
      ['Megan Bowen', 'Error rate is 40% since the 09:50 deploy', '2026-11-23T10:01:00.000Z'],
      ['Lee Gu', 'Rolling back now', '2026-11-23T10:02:00.000Z'],
    ]);
    expect(page.entries[1].replyToId).to.equal('1732350000001');
    expect(page.entries[0].link).to.match(/^https:\/\/teams\.microsoft\.com\/l\/message\/19%3A.*\/1732350000001\?tenantId=/);

    // Edited, then edited again; the older edit redelivered late does not undo the newer one.
    await post(t, messageEvent(place(t), channel, 'editMessage', { id: '1732350000001', from: MEGAN, text: 'Error rate is 45% since the 09:50 deploy', timestamp: '2026-11-23T10:05:00.000Z' }));
    await post(t, messageEvent(place(t), channel, 'editMessage', { id: '1732350000001', from: MEGAN, text: 'Error rate is 46% since the 09:50 deploy', timestamp: '2026-11-23T10:06:00.000Z' }));
    await post(t, messageEvent(place(t), channel, 'editMessage', { id: '1732350000001', from: MEGAN, text: 'Error rate is 45% since the 09:50 deploy', timestamp: '2026-11-23T10:05:00.000Z' }));
    await post(t, messageEvent(place(t), channel, 'softDeleteMessage', { id: '1732350000002', from: LEE, root: '1732350000001', timestamp: '2026-11-23T10:07:00.000Z' }));
    page = await chat(t, incident);
    expect(page.entries[0]).to.include({ text: 'Error rate is 46% since the 09:50 deploy', edited: '2026-11-23T10:06:00.000Z' });
    expect(page.entries[1]).to.include({ text: '', deleted: '2026-11-23T10:07:00.000Z' });

    // Search (for the tab's search box): case-insensitive, as typed, never what was deleted.
    const found = await t.app.database.record.searchChatEntries(incident.id, 'ERROR RATE is 46%', 10);
    expect(found.map((e) => e.messageId)).to.deep.equal(['1732350000001']);
    expect(await t.app.database.record.searchChatEntries(incident.id, 'rolling', 10)).to.deep.equal([]);
    expect(await t.app.database.record.searchChatEntries(incident.id, '.*', 10), 'a needle is no pattern').to.deep.equal([]);

    // Restored: the text Teams sends with the undelete is back.
    await post(t, messageEvent(place(t), channel, 'undeleteMessage', { id: '1732350000002', from: LEE, root: '1732350000001', text: 'Rolling back now', timestamp: '2026-11-23T10:08:00.000Z' }));
    page = await chat(t, incident);
    expect(page.entries[1].text).to.equal('Rolling back now');
    expect(page.entries[1].deleted).to.equal(undefined);

    // A command to the bot runs; its record is what it does (on the timeline), not a chat entry.
    await post(t, { ...channelMessage(place(t), channel, { id: '1732350000004', from: ALEX, text: '', timestamp: '2026-11-23T10:09:00.000Z' }), ...toBot('ack') });
    await eventually(async () => (await t!.incidents())[0]!.milestones.acknowledged);
    expect((await chat(t, incident)).total).to.equal(2);

    // The record search finds the conversation by its current words, never what was deleted.
    const search = async (q: string) => (await tabApi(t!.app.url, incident.id, signedInAs(t!.app)).get(`/search?q=${encodeURIComponent(q)}`)).body.hits.filter((h: any) => h.source === 'chat');
    expect((await search('error RATE is 46%')).map((h: any) => [h.who, h.text])).to.deep.equal([['Megan Bowen', 'Error rate is 46% since the 09:50 deploy (edited)']]);
    expect(await search('45%')).to.deep.equal([]);

    // The Markdown and JSON exports include the conversation when asked.
    const api = tabApi(t.app.url, incident.id, signedInAs(t.app));
    const md = await (await fetch(`${t.app.url}/tab/api/incidents/${incident.id}/export/md?chat=true`, { headers: await signedInAs(t.app) })).text();
    // People's words escaped as every export escapes them (a colon could start a link).
    expect(md).to.contain('| Megan Bowen | said\\: Error rate is 46% since the 09\\:50 deploy \\(edited\\) |');
    const without = await (await fetch(`${t.app.url}/tab/api/incidents/${incident.id}/export/md`, { headers: await signedInAs(t.app) })).text();
    expect(without).not.to.contain('said\\:');
    const json = JSON.parse(await (await fetch(`${t.app.url}/tab/api/incidents/${incident.id}/export/json?chat=true`, { headers: await signedInAs(t.app) })).text());
    expect(json.events.filter((e: any) => e.kind === 'chat').map((e: any) => e.payload.messageId)).to.deep.equal(['1732350000001', '1732350000002']);
    expect((await api.get('/chat?order=desc&limit=1')).body.entries[0].text).to.equal('Rolling back now');
  });

  it('keeps a long message whole (a pasted log); a command that long is answered, and nothing is done', async () => {
    t = await startTestApp();
    const incident = await declare(t, 'Checkout API returns 500s --sev P1');
    const log = Array.from({ length: 600 }, (_, n) => `2026-11-23T10:00:${String(n % 60).padStart(2, '0')} ERROR pool exhausted #${n}`).join('\n');
    expect(log.length).to.be.above(20_000);
    await say(t, incident.channel!.id, '1732350000501', MEGAN, log);
    const [entry] = (await chat(t, incident)).entries;
    expect(entry.text.length).to.be.above(20_000);
    expect(entry.text.endsWith('ERROR pool exhausted #599')).to.equal(true);
    await post(t, { ...channelMessage(place(t), incident.channel!.id, { id: '1732350000502', from: ALEX, text: '' }), ...toBot(`update ${log}`) });
    await eventually(() => t!.local.world.activities.find((a) => a.byBot && /too long for a command/.test(a.text ?? '')));
    expect((await t.incidents())[0]!.lastUpdate).to.equal(undefined);
  });

  it('is off for a tenant that says so, and on again for a type that says so', async () => {
    t = await startTestApp({ TENANT_CONFIG_FILE: tenantConfigFile({ default: { recordConversation: false, types: { security: { privateByDefault: false, recordConversation: true } }, ...admins } }) });
    const outage = await declare(t, 'Checkout slow --sev P2');
    await say(t, outage.channel!.id, '1732350000101', MEGAN, 'p99 at 4 s');
    const security = await declare(t, 'Phishing wave --type security');
    await say(t, security.channel!.id, '1732350000102', MEGAN, 'Reset the VPN tokens');
    expect(await chat(t, outage)).to.deep.include({ kept: false, total: 0 });
    expect(await chat(t, security)).to.deep.include({ kept: true, total: 1 });
  });

  it('is off for a type that says so while the tenant keeps the rest', async () => {
    t = await startTestApp({ TENANT_CONFIG_FILE: tenantConfigFile({ default: { types: { 'service-outage': { recordConversation: false } }, ...admins } }) });
    const outage = await declare(t, 'Checkout slow --sev P2');
    await say(t, outage.channel!.id, '1732350000201', MEGAN, 'p99 at 4 s');
    expect(await chat(t, outage)).to.deep.include({ kept: false, total: 0 });
  });

  it('never for a private incident, even with the tenant on, unless its type says so', async () => {
    t = await startTestApp({ TENANT_CONFIG_FILE: tenantConfigFile({ default: { recordConversation: true, types: { 'data-leak': { label: 'Data leak', privateByDefault: true, recordConversation: true } }, ...admins } }) });
    const secret = await declare(t, 'Payroll export leaks salaries --private');
    const groupChat = secret.chat!.id;
    const inChat = (id: string, text: string) => post(t!, { ...channelMessage(place(t!), groupChat, { id, from: ALEX, text }), conversation: { id: groupChat, tenantId: TENANT, conversationType: 'groupChat', isGroup: true }, channelData: { tenant: { id: TENANT } } });
    await inChat('1732350000301', 'The export job ran as the wrong user');
    expect(await chat(t, secret)).to.deep.include({ kept: false, total: 0 });

    const leak = await declare(t, 'Customer list in a public bucket --type data-leak');
    await post(t, { ...channelMessage(place(t), leak.chat!.id, { id: '1732350000302', from: ALEX, text: 'Bucket made private at 10:12' }), conversation: { id: leak.chat!.id, tenantId: TENANT, conversationType: 'groupChat', isGroup: true }, channelData: { tenant: { id: TENANT } } });
    const kept = await chat(t, leak);
    expect(kept).to.deep.include({ kept: true, total: 1 });
    expect(kept.entries[0].text).to.equal('Bucket made private at 10:12');
  });
});
