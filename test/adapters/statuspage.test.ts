import { expect } from 'chai';
import { StatuspagePage } from '../../adapters/statuspage.js';
import { StatuspageStandIn } from '../../local/standins/statuspageStandIn.js';
import { LOCAL } from '../../local/defaults.js';
import type { PublicPost } from '../../models/ports/statusPage.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';
import { failureOf } from '../helpers/failure.js';

// Proves StatuspagePage creates, finds and updates public incidents on the Statuspage stand-in, and translates its failures.
describe('StatuspagePage against the Statuspage stand-in', () => {
  const { pageId, apiKey } = LOCAL.statuspage;
  let sp: StatuspageStandIn;
  beforeEach(async () => {
    sp = new StatuspageStandIn(pageId, apiKey);
    await sp.start();
  });
  afterEach(() => sp.stop());

  const page = (settings: { apiUrl?: string; pageId?: string; apiKey?: string } = {}) => new StatuspagePage({ apiUrl: `${sp.url}/`, pageId, apiKey, ...settings });
  const post: PublicPost = { name: 'Checkout errors', status: 'investigating', body: 'We are investigating errors at checkout.', impact: 'major' };
  const fail = failureOf;

  it('creates the public incident with our id in its metadata and returns its id and link', async () => {
    const ref = await page().create('incident-1', post);
    const created = sp.incidents.get(ref.id)!;
    expect(ref).to.deep.equal({ id: created.id, url: created.shortlink });
    expect(created).to.deep.include({ name: 'Checkout errors', status: 'investigating', impact: 'major', metadata: { incident_room: { id: 'incident-1' } } });
    expect(created.updates.map((u) => u.body)).to.deep.equal([post.body]);
    const [sent] = sp.requests;
    expect(sent).to.deep.include({ method: 'POST', path: `/v1/pages/${pageId}/incidents` });
    expect((sent!.body as { incident: Record<string, unknown> }).incident).to.deep.include({ deliver_notifications: true, impact_override: 'major' });
  });

  it('finds an unresolved incident it created by our id (after a crash lost the reference), and not others', async () => {
    const mine = await page().create('incident-1', post);
    await page().create('incident-2', { ...post, name: 'Search slow' });
    expect(await page().find('incident-1')).to.deep.equal(mine);
    expect(await page().find('incident-3')).to.equal(undefined);
  });

  it('patches the public status with each update, until resolved', async () => {
    const ref = await page().create('incident-1', post);
    await page().update(ref, { status: 'identified', body: 'We found the cause.' });
    await page().update(ref, { status: 'resolved', body: 'Checkout works normally again.' });
    const updated = sp.incidents.get(ref.id)!;
    expect(updated.status).to.equal('resolved');
    expect(updated.updates.map((u) => [u.status, u.body])).to.deep.equal([
      ['investigating', post.body],
      ['identified', 'We found the cause.'],
      ['resolved', 'Checkout works normally again.'],
    ]);
    expect(sp.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).to.deep.equal([`/v1/pages/${pageId}/incidents/${ref.id}`, `/v1/pages/${pageId}/incidents/${ref.id}`]);
    expect(await page().find('incident-1')).to.equal(undefined, 'a resolved incident is no longer among the unresolved ones');
  });

  it('turns a wrong key (401), page (404) or refused content (422) into PermanentErrors with hints', async () => {
    const badKey = await fail(page({ apiKey: 'wrong' }).create('incident-1', post));
    expect(badKey).to.be.instanceOf(PermanentError);
    expect((badKey as PermanentError).hint).to.contain('STATUSPAGE_API_KEY');

    const badPage = await fail(page({ pageId: 'nopage' }).find('incident-1'));
    expect(badPage).to.be.instanceOf(PermanentError);
    expect((badPage as PermanentError).hint).to.contain('STATUSPAGE_PAGE_ID');

    const refused = await fail(page().create('incident-1', { ...post, name: '  ' }));
    expect(refused).to.be.instanceOf(PermanentError);
    expect(refused.message).to.contain('HTTP 422').and.to.contain("name can't be blank");
    expect((refused as PermanentError).hint).to.contain('public text');

    const gone = await fail(page().update({ id: 'missing' }, { status: 'resolved', body: 'done' }));
    expect(gone).to.be.instanceOf(PermanentError);
    expect(sp.incidents.size).to.equal(0);
  });

  it('turns throttling (429 and Statuspage’s 420) into TransientErrors with Retry-After, and outages too', async () => {
    sp.faults.add({ method: 'POST', path: /\/incidents$/, status: 429, retryAfterSeconds: 5 });
    const throttled = await fail(page().create('incident-1', post));
    expect(throttled).to.be.instanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).to.equal(5000);

    sp.faults.add({ method: 'POST', path: /\/incidents$/, status: 420, retryAfterSeconds: 2 });
    const enhanceYourCalm = await fail(page().create('incident-1', post));
    expect(enhanceYourCalm).to.be.instanceOf(TransientError);
    expect(enhanceYourCalm.message).to.contain('HTTP 429');
    expect((enhanceYourCalm as TransientError).retryAfterMs).to.equal(2000);

    sp.faults.add({ method: 'GET', path: /unresolved$/, status: 503 });
    expect(await fail(page().find('incident-1'))).to.be.instanceOf(TransientError);
    sp.faults.add({ method: 'GET', path: /unresolved$/, status: 'reset' });
    expect(await fail(page().find('incident-1'))).to.be.instanceOf(TransientError);
    expect(await fail(page({ apiUrl: 'http://127.0.0.1:9' }).find('incident-1'))).to.be.instanceOf(TransientError);

    expect(sp.incidents.size).to.equal(0);
    expect((await page().create('incident-1', post)).id).to.be.a('string');
  });
});
