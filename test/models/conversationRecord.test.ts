import { expect } from 'chai';
import { TenantProfiles } from '../../models/incident/tenantProfile.js';
import { keepsConversation } from '../../models/record/chatEntries.js';
import { recordText } from '../../models/support/messageText.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const profilesOf = (json: object) => {
  const parsed = TenantProfiles.parse(json);
  if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
  return parsed.profiles;
};

describe('the channel conversation setting (recordConversation) and the text kept of a message', () => {
  it('is on by default for public incidents, never for private ones unless their type says so', () => {
    const built = TenantProfiles.builtIn;
    expect(keepsConversation(built, { tenantId: TENANT, type: 'service-outage' })).to.equal(true);
    expect(keepsConversation(built, { tenantId: TENANT, type: 'service-outage', private: true })).to.equal(false);
    expect(keepsConversation(built, { tenantId: TENANT, type: 'security' }), 'private by default').to.equal(false);
  });

  it('a tenant turns it off; a type turns it back on, or off; a private type only by its own yes', () => {
    const profiles = profilesOf({
      default: { types: { security: { recordConversation: true } } },
      tenants: { [TENANT]: { recordConversation: false, types: { 'internal-tooling': { recordConversation: true } } } },
    });
    expect(keepsConversation(profiles, { tenantId: TENANT, type: 'service-outage' })).to.equal(false);
    expect(keepsConversation(profiles, { tenantId: TENANT, type: 'internal-tooling' })).to.equal(true);
    expect(keepsConversation(profiles, { tenantId: TENANT, type: 'security' }), 'private, and its type says so').to.equal(true);
    expect(keepsConversation(profiles, { tenantId: 'another-tenant', type: 'service-outage' })).to.equal(true);
    expect(keepsConversation(profiles, { tenantId: 'another-tenant', type: 'data-incident' })).to.equal(false);
  });

  it('refuses a setting that is not a yes or no, naming its place', () => {
    const parsed = TenantProfiles.parse({ default: { recordConversation: 'yes', types: { security: { recordConversation: 1 } } } });
    expect('problems' in parsed && parsed.problems.join('\n')).to.match(/default\.recordConversation/).and.match(/default\.types\.security\.recordConversation/);
  });

  it('keeps a message as text: mentions as names, links with their address, images and files as links, no markup or script', () => {
    const text = recordText(
      '<p><at id="0">Megan Bowen</at> see <a href="https://grafana.example/d/1">the dashboard</a> &amp; <a href="javascript:alert(1)">this</a></p><script>alert(1)</script><p><img src="https://graph.microsoft.com/v1.0/x/hostedContents/1/$value"><img src="data:image/png;base64,AAA"></p>',
      'html',
      [{ contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/x/log.txt', name: 'log.txt' }, { contentType: 'reference', contentUrl: 'http://plain.example/x', name: 'x' }],
    );
    expect(text).to.equal('Megan Bowen see the dashboard (https://grafana.example/d/1) & this\n\n[image: https://graph.microsoft.com/v1.0/x/hostedContents/1/$value]\n[file: log.txt] https://contoso.sharepoint.com/x/log.txt');
  });
});
