import { expect } from 'chai';
import { UnsecuredJWT } from 'jose';
import { checkApplicationPermissions, consentedApplicationPermissions } from '../../adapters/graph/consentedPermissions.js';

const tokenWith = (roles: unknown) => async () => new UnsecuredJWT({ roles }).encode();

function recordingLog() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return { lines, error: (obj: object, msg: string) => lines.push({ level: 'error', obj, msg }), warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }) };
}

describe('Application permissions checked at start (ARCHIVE_ON_PUBLISH)', () => {
  it('reads the consented permissions from the roles of the app token', async () => {
    expect([...(await consentedApplicationPermissions(tokenWith(['ChannelSettings.ReadWrite.All', 42])))!]).to.deep.equal(['ChannelSettings.ReadWrite.All']);
    expect(await consentedApplicationPermissions(async () => 'not-a-jwt')).to.equal(undefined);
  });

  it('logs an error naming ChannelSettings.ReadWrite.All when archiving is on and it is not consented (no RSC permission can archive)', async () => {
    const log = recordingLog();
    expect(await checkApplicationPermissions({ tokens: tokenWith(['Channel.Create']), log }, ['archiveChannel'])).to.deep.equal(['archiveChannel']);
    expect(log.lines).to.have.length(1);
    expect(log.lines[0]!.level).to.equal('error');
    expect(log.lines[0]!.msg).to.contain('ChannelSettings.ReadWrite.All').and.not.contain('ChannelSettings.ReadWrite.Group');
  });

  it('says nothing when it is consented, and only warns when the token cannot be had', async () => {
    const log = recordingLog();
    expect(await checkApplicationPermissions({ tokens: tokenWith(['ChannelSettings.ReadWrite.All']), log }, ['archiveChannel'])).to.deep.equal([]);
    expect(await checkApplicationPermissions({ tokens: async () => Promise.reject(new Error('AADSTS700016')), log }, ['archiveChannel'])).to.deep.equal([]);
    expect(log.lines.map((l) => l.level)).to.deep.equal(['warn']);
  });
});
