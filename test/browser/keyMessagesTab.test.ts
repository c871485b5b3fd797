import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { channelMessage, messageEvent } from '../../local/teamsActivities.js';
import { TENANT } from '../helpers/testApp.js';
import { LEE, MEGAN } from '../helpers/people.js';

const ARTIFACTS = 'test-artifacts/key-messages';

/**
 * The tab's key messages and the channel conversation (issue 23), in headless Chromium, hosted as
 * Teams hosts it: the "Key messages" filter, and "With the channel conversation" showing the
 * channel's messages (edited, deleted) among the events. Screenshots in test-artifacts/key-messages/.
 */
describe('the tab: key messages and the channel conversation (screenshots in test-artifacts/key-messages/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;
  let page: Page;
  let tabPath: string;

  const post = async (fields: Record<string, unknown>) => {
    const response = await fetch(`${room.t.app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) });
    expect(response.status).to.be.below(300);
  };

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom();
    const incident = await room.incident();
    tabPath = `/tab/incidents/${incident.id}`;
    const place = { serviceUrl: `${room.t.local.connector.url}/`, tenantId: TENANT };
    const channel = incident.channel!.id;
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    await post(channelMessage(place, channel, { id: '1732350000001', from: MEGAN, text: 'Error rate is 40% since the deploy', timestamp: at(1) }));
    await post(channelMessage(place, channel, { id: '1732350000002', from: LEE, text: 'Rolling back v42 now', replyToId: '1732350000001', timestamp: at(2) }));
    await post(channelMessage(place, channel, { id: '1732350000003', from: LEE, text: 'wrong channel, sorry', timestamp: at(3) }));
    await post(messageEvent(place, channel, 'editMessage', { id: '1732350000001', from: MEGAN, text: 'Error rate is 45% since the deploy', timestamp: at(4) }));
    await post(messageEvent(place, channel, 'softDeleteMessage', { id: '1732350000003', from: LEE, timestamp: at(5) }));
    const message = {
      id: '1732350000002',
      replyToId: '1732350000001',
      createdDateTime: at(2),
      linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(channel)}/1732350000002`,
      from: { user: { id: LEE.aadObjectId, displayName: LEE.name, userIdentityType: 'aadUser' } },
      body: { contentType: 'html', content: '<p>Rolling back v42 now</p>' },
      attachments: [],
    };
    const answer = await room.t.send({
      type: 'invoke',
      name: 'composeExtension/submitAction',
      conversation: { id: `${channel};messageid=1732350000001`, tenantId: TENANT, conversationType: 'channel', isGroup: true },
      value: { commandId: 'addToTimeline', commandContext: 'message', messagePayload: message, data: { note: 'The fix: errors fell right after' } },
    });
    expect(answer.body.task.value).to.contain('to the INC-1 timeline');
    await room.t.app.actions.drain();
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('shows key messages on the story and under their own filter', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const tab = await openHostedTab(page, room.t.app.url, tabPath);
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
    const key = tab.locator('li.kind-key_message');
    await key.waitFor();
    expect(await key.innerText()).to.contain('Rolling back v42 now').and.contain('The fix: errors fell right after');
    expect(await tab.locator('li.kind-chat').count(), 'the conversation is hidden by default').to.equal(0);
    await tab.locator('[data-testid=kind-filter]').selectOption('key_message');
    await tab.locator('[data-testid=timeline-count]', { hasText: 'Showing 1 of 1 event' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/key-messages.png`, fullPage: true });
  });

  it('"With the channel conversation" shows the channel messages among the events, edits and deletes as they are', async () => {
    const tab = await openHostedTab(page, room.t.app.url, tabPath);
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
    await tab.locator('[data-testid=with-chat]').check();
    await tab.locator('li.kind-chat').first().waitFor();
    const lines = await tab.locator('li.kind-chat').allInnerTexts();
    expect(lines).to.have.length(3);
    expect(lines.join('\n')).to.contain('Error rate is 45% since the deploy').and.contain('(edited)').and.contain('(deleted)').and.not.contain('wrong channel');
    await tab.locator('[data-testid=timeline-count]', { hasText: '3 of 3 messages of the channel conversation' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/with-channel-conversation.png`, fullPage: true });
    // Live while shown: a new message and an edit arrive without a reload.
    const incident = await room.incident();
    const place = { serviceUrl: `${room.t.local.connector.url}/`, tenantId: TENANT };
    await post(channelMessage(place, incident.channel!.id, { id: '1732350000004', from: MEGAN, text: 'Error rate back under 1%' }));
    await post(messageEvent(place, incident.channel!.id, 'editMessage', { id: '1732350000002', from: LEE, text: 'Rolled back v42', timestamp: new Date().toISOString() }));
    await tab.locator('li.kind-chat', { hasText: 'Error rate back under 1%' }).waitFor();
    await tab.locator('li.kind-chat', { hasText: 'Rolled back v42' }).waitFor();
    expect(await tab.locator('li.kind-chat').count()).to.equal(4);
  });
});
