import { expect } from 'chai';
import { sandboxSession } from '../helpers/sandbox.js';

const ARTIFACTS = 'test-artifacts/commander';
const CHANNEL = 'inc-1-checkout-api-returns-500s';

/**
 * A whole incident run from the card in the sandbox, as a commander at 3 a.m. would: the card
 * reads at a glance (Details hides the rest; done looks done), the channel header says the
 * current severity and no internal id, every change is announced once in the channel and in the
 * broadcast thread, acknowledgement is a timeline event saying why, and the checklist ticks what
 * the record proves. Screenshots in test-artifacts/commander/.
 */
describe('the commander’s incident in the sandbox (screenshots in test-artifacts/commander/)', function () {
  this.timeout(240_000);
  const s = sandboxSession({ artifacts: ARTIFACTS, declare: 'declare Checkout API returns 500s --sev P1' });
  const open = (name: string) => s.page.locator('nav button', { hasText: name }).click();
  const card = () => s.page.locator('.posts .card', { hasText: 'INC-1 ·' }).first();
  const button = (name: string) => card().getByRole('button', { name, exact: true });
  const settled = async () => {
    await s.t.app.actions.drain();
    await s.page.waitForTimeout(900); // one sandbox poll
  };
  const posts = async (channelName: string) => {
    const channel = s.t.local.world.liveChannels().find((c) => c.displayName === channelName)!;
    return s.t.local.world.activitiesIn(channel.id);
  };

  before(async () => {
    await s.page.locator('#as').selectOption({ label: 'Megan Bowen' });
  });

  it('the card’s first screen is severity, status, age, commander, last update and three actions; Details shows the rest', async () => {
    await open(CHANNEL);
    await button('Acknowledge').waitFor();
    const first = await card().innerText();
    expect(first).to.contain('INC-1 · P1').and.contain('TRIAGE').and.contain('Open since').and.contain('Commander').and.contain('Last update').and.contain('Next update due');
    expect(first, 'behind Details').not.to.contain('Reporter');
    const box = await card().boundingBox();
    expect(box!.height, 'the first screen of the card is short').to.be.below(330);
    await s.shot('1-compact-card');
    await button('Details').click();
    await card().getByText('Join the bridge').waitFor();
    expect(await card().innerText()).to.contain('Reporter').and.contain('Timeline, checklist');
    await s.shot('2-details-open');
  });

  it('the channel header says the current severity and no internal id', async () => {
    await s.page.locator('#message').fill('sev P2');
    await s.page.locator('#message').press('Enter');
    await settled();
    await s.page.locator('#description', { hasText: 'INC-1 (P2)' }).waitFor();
    const header = await s.page.locator('#description').innerText();
    expect(header).to.contain('INC-1 (P2)').and.not.contain('P1').and.not.contain('incident-room:').and.not.match(/[0-9a-f]{24}/);
    await s.shot('3-channel-header-current');
  });

  it('a status change from the card is announced once in the channel and once in the broadcast thread', async () => {
    const before = { channel: (await posts(CHANNEL)).length, broadcast: (await posts('production-issues')).length };
    await button('Start investigating').click();
    await settled();
    const channel = (await posts(CHANNEL)).slice(before.channel).filter((a) => a.byBot && JSON.stringify(a.attachments ?? a.text).includes('investigating'));
    const broadcast = (await posts('production-issues')).slice(before.broadcast).filter((a) => JSON.stringify(a.attachments ?? a.text).includes('investigating'));
    expect(channel, 'one announcement in the channel').to.have.length(1);
    expect(broadcast, 'one reply in the broadcast thread').to.have.length(1);
    expect(broadcast[0]!.replyToId, 'threaded under the broadcast root').to.be.a('string');
    await s.shot('4-status-announced-once');
  });

  it('moving out of triage acknowledged it: the timeline says so, and by whom', async () => {
    const events = await s.t.app.database.store.listEvents((await s.t.incidents())[0]!.id);
    const moved = events.find((e) => e.kind === 'status_changed' && (e.payload.milestones as string[] | undefined)?.includes('acknowledged'));
    expect(moved?.actor.name, 'the status change records the acknowledgement, by the person who moved it').to.equal('Megan Bowen');
    expect(events.some((e) => e.kind === 'acknowledged'), 'no silent second record').to.equal(false);
    await s.page.getByRole('tab', { name: 'INC-1 tab' }).click();
    const line = s.tab.getByTestId('timeline').locator('li', { hasText: /acknowledged/i }).first();
    await line.waitFor();
    expect(await line.innerText()).to.contain('Megan Bowen').and.match(/investigating/);
    await s.shot('5-acknowledged-on-the-timeline');
  });

  it('the checklist ticks what the record proves, by incident-room, with the reason', async () => {
    await s.tab.getByRole('tab', { name: /Checklist/ }).click();
    const assigned = s.tab.locator('.check', { hasText: 'Assign the roles' });
    await s.page.getByRole('tab', { name: 'Posts' }).click();
    await button('Become IC').click();
    await settled();
    await s.page.getByRole('tab', { name: 'INC-1 tab' }).click();
    await s.tab.getByRole('tab', { name: /Checklist/ }).click();
    await assigned.filter({ hasText: 'incident-room' }).waitFor();
    expect(await assigned.getByRole('checkbox').isChecked()).to.equal(true);
    await s.shot('6-checklist-ticked-by-the-record');
  });

  it('two people save the summary from dialogs opened together: only what each changed is saved, a field both changed is shown with both values', async () => {
    await s.page.getByRole('tab', { name: 'Posts' }).click();
    // Lee opens the summary on his screen; Megan opens it on hers, at the same time.
    const lee = await s.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await lee.goto(`${s.t.app.url}/`);
    await lee.locator('#as').selectOption({ label: 'Lee Gu' });
    await lee.locator('nav button', { hasText: CHANNEL }).click();
    const leeCard = lee.locator('.posts .card', { hasText: 'INC-1 ·' }).first();
    await leeCard.getByRole('button', { name: /summary/ }).first().click();
    const leeDialog = lee.getByRole('dialog');
    await button('Write summary').click();
    const dialog = s.page.getByRole('dialog');
    await dialog.getByLabel('Component responsible').fill('payments-api');
    await dialog.getByLabel('Current action step').fill('Rolling back');
    await dialog.getByRole('button', { name: 'Save summary' }).click();
    await dialog.getByText(/updated the status summary/).waitFor();
    await dialog.locator('button.primary', { hasText: 'Close' }).click();
    // Lee, on the form opened before Megan saved, changes only the current action step.
    await leeDialog.getByLabel('Current action step').fill('Failing over to the second region');
    await leeDialog.getByRole('button', { name: 'Save summary' }).click();
    await leeDialog.getByText(/was changed by someone else since you opened this form/).waitFor();
    expect(await leeDialog.innerText()).to.contain('Now: “Rolling back”').and.contain('Yours: “Failing over to the second region”');
    await lee.screenshot({ path: `${ARTIFACTS}/8-summary-conflict-at-the-top.png` });
    await leeDialog.getByRole('radio', { name: /Mine/ }).scrollIntoViewIfNeeded();
    await lee.screenshot({ path: `${ARTIFACTS}/9-summary-conflict-choice.png` });
    let summary = (await s.t.incidents())[0]!.summary!;
    expect(summary.component, 'Lee did not change it: Megan’s stays').to.equal('payments-api');
    expect(summary.currentAction, 'never overwritten silently').to.equal('Rolling back');
    await leeDialog.getByRole('radio', { name: /Mine/ }).check();
    await leeDialog.getByRole('button', { name: 'Save summary' }).click();
    await leeDialog.getByText(/updated the status summary/).waitFor();
    summary = (await s.t.incidents())[0]!.summary!;
    expect(summary).to.include({ component: 'payments-api', currentAction: 'Failing over to the second region' });
    await lee.close();
  });

  it('one post per update; resolving and closing reach the broadcast thread; the closed card is visibly done', async () => {
    await s.page.getByRole('tab', { name: 'Posts' }).click();
    const before = (await posts(CHANNEL)).length;
    await s.page.locator('#message').fill('update Rolled back; error rate falling');
    await s.page.locator('#message').press('Enter');
    await settled();
    const updates = (await posts(CHANNEL)).slice(before).filter((a) => a.byBot && JSON.stringify(a.attachments ?? a.text).includes('Rolled back; error rate falling'));
    expect(updates, 'one post for one update').to.have.length(1);
    await s.page.locator('#posts').evaluate((e) => (e.scrollTop = 0));
    await s.shot('readme-sandbox'); // the README's sandbox image (docs/sandbox.png) is taken from this one
    const rootsBefore = (await posts('production-issues')).length;
    await s.page.locator('#message').fill('resolve');
    await s.page.locator('#message').press('Enter');
    await settled();
    const resolvedReplies = (await posts('production-issues')).slice(rootsBefore).filter((a) => a.replyToId && JSON.stringify(a.attachments ?? a.text).includes('resolved'));
    expect(resolvedReplies, 'the broadcast thread hears it was resolved').to.have.length(1);
    await s.page.locator('nav button', { hasText: CHANNEL }).click();
    await button('Close').waitFor();
    const header = card().locator('.ac-container').first();
    const colour = await header.evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(colour, 'not the severity’s alarm colour').not.to.equal('rgb(255, 244, 206)');
    expect(await card().innerText()).to.contain('✓ RESOLVED');
    await card().scrollIntoViewIfNeeded();
    await s.shot('7-resolved-card-is-done');
  });
});
