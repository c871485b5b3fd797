import { expect } from 'chai';
import { channelName, checkChannelPattern, DEFAULT_CHANNEL_PATTERN, MAX_CHANNEL_NAME, sanitizeChannelName } from '../../models/warRoom/channelName.js';

const input = (title: string, number = 42) => ({ number, title, severity: 'P1', declaredAt: new Date('2026-03-07T10:00:00Z') });
const FORBIDDEN = /[~#%&*{}+/\\:<>?|'",]/;

describe('incident channel names', () => {
  it('renders the default pattern as inc-<number>-<slug>', () => {
    expect(channelName(DEFAULT_CHANNEL_PATTERN, input('Checkout API returns 500s'))).to.equal('inc-42-checkout-api-returns-500s');
  });

  it('strips every character Teams forbids', () => {
    const name = channelName(DEFAULT_CHANNEL_PATTERN, input(`DB "primary" #3: 50% of {writes} fail / <timeout>? | it's bad & worse*+~,\\`));
    expect(name).not.to.match(FORBIDDEN);
    expect(name).to.equal('inc-42-db-primary-3-50-of-writes-fail-timeout-it-s');
    for (const pattern of ['{number} #{sev}: {slug}', 'inc|{number}?{slug}', "it's {number}..{slug}."]) {
      const rendered = channelName(pattern, input('x'));
      expect(rendered, pattern).not.to.match(FORBIDDEN);
      expect(rendered).not.to.contain('..');
      expect(rendered).not.to.match(/\.$/);
    }
  });

  it('caps the length at 50, shortening the slug and keeping the number', () => {
    const name = channelName(DEFAULT_CHANNEL_PATTERN, input('a very long title that goes on and on about everything that broke today', 123456));
    expect(name.length).to.be.at.most(MAX_CHANNEL_NAME);
    expect(name).to.match(/^inc-123456-a-very-long/);
    expect(name).not.to.match(/-$/);
  });

  it('adds -N for another attempt and stays within the limit', () => {
    const long = input('x'.repeat(200));
    expect(channelName(DEFAULT_CHANNEL_PATTERN, long, 3)).to.match(/-3$/).and.to.have.length.at.most(MAX_CHANNEL_NAME);
    expect(channelName(DEFAULT_CHANNEL_PATTERN, input('Disk full'), 2)).to.equal('inc-42-disk-full-2');
  });

  it('supports the issue-topic-ddmm and incident_MM_DD_slug style patterns', () => {
    expect(channelName('issue-{slug}-{dd}{mm}-{number}', input('Search down'))).to.equal('issue-search-down-0703-42');
    expect(channelName('incident_{mm}_{dd}_{slug}-{number}', input('Login errors'))).to.equal('incident_03_07_login-errors-42');
  });

  it('keeps a name with no usable title characters legal', () => {
    expect(channelName(DEFAULT_CHANNEL_PATTERN, input('???'))).to.equal('inc-42');
    expect(channelName(DEFAULT_CHANNEL_PATTERN, input('Ünïcödé façade'))).to.equal('inc-42-unicode-facade');
  });

  it('sanitizes reserved names, leading underscores and dots', () => {
    expect(sanitizeChannelName('CON')).to.equal('CON-channel');
    expect(sanitizeChannelName('_vti_')).to.equal('vti_');
    expect(sanitizeChannelName('.hidden.')).to.equal('hidden');
  });

  it('rejects patterns that cannot make unique or valid names', () => {
    expect(checkChannelPattern('inc-{slug}')).to.match(/must contain \{number\}/);
    expect(checkChannelPattern('inc-{number}-{title}')).to.match(/unknown placeholder.*\{title\}/);
    expect(checkChannelPattern(DEFAULT_CHANNEL_PATTERN)).to.equal(undefined);
  });
});
