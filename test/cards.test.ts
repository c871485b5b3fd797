import { expect } from 'chai';
import { incidentCard } from '../bot/cards/incidentCard.js';
import { declareFormCard } from '../bot/cards/declareForm.js';
import { reporterCard } from '../bot/cards/messages.js';
import { pendingSteps, type Incident, type ProvisioningStep, type StepState } from '../models/incident.js';
import { SEVERITIES } from '../models/severity.js';
import { cardProblems } from './helpers/cards.js';
import { sampleIncident } from './helpers/fixtures.js';

const base = sampleIncident();
const done: StepState = { status: 'done', attempts: 1 };
const steps = (overrides: Partial<Record<ProvisioningStep, StepState>>) => ({ ...pendingSteps(), ...overrides });
const provisionedIncident: Incident = {
  ...base,
  description: 'Started after deploy 2026.05.01-3. '.repeat(20),
  component: 'payments',
  channel: { id: '19:x@thread.tacv2', name: 'inc-42-checkout', webUrl: 'https://teams.microsoft.com/l/channel/x' },
  meeting: { id: 'm', joinUrl: 'https://teams.microsoft.com/l/meetup-join/x', via: 'onlineMeeting' },
  tab: { id: 't', webUrl: 'https://teams.microsoft.com/l/entity/x', contentUrl: 'https://app/tab' },
  provisioning: { complete: true, steps: steps({ channel: done, meeting: done, tab: done, card: done }) },
};
const failedMeeting: Incident = {
  ...provisionedIncident,
  meeting: undefined,
  provisioning: { complete: true, steps: steps({ channel: done, meeting: { status: 'failed', attempts: 1, error: 'HTTP 403', hint: 'Grant the access policy' } }) },
};

describe('cards are valid Adaptive Cards for Teams (schema ≤ 1.5, < 100 KB, parser-clean)', () => {
  const cases: [string, object][] = [
    ['incident card, just declared', incidentCard(base)],
    ['incident card, provisioned', incidentCard(provisionedIncident)],
    ['incident card, meeting failed', incidentCard(failedMeeting)],
    ...SEVERITIES.map((severity): [string, object] => [`incident card, ${severity}`, incidentCard({ ...base, severity })]),
    ['incident card, hostile title', incidentCard({ ...base, title: '[click me](https://evil.example) <at>everyone</at> **bold**' })],
    ['declare form, empty', declareFormCard()],
    ['declare form, with problems and values', declareFormCard({ title: 'x', severity: 'P9' }, ['unknown severity "P9"'])],
    ['reporter card, declaring', reporterCard(base)],
    ['reporter card, room ready', reporterCard(provisionedIncident)],
    ['reporter card, channel failed', reporterCard({ ...base, provisioning: { complete: true, steps: steps({ channel: { status: 'failed', attempts: 6, error: 'HTTP 403', hint: 'Grant Channel.Create' } }) } })],
  ];
  for (const [name, card] of cases) {
    it(name, () => expect(cardProblems(card)).to.deep.equal([]));
  }

  it('the checker catches what Teams would reject', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.6', body: [] }).join()).to.contain('above what Teams renders');
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }] }).join()).to.match(/validate/i);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Blink' }] }).join()).to.match(/parse/);
  });

  it('user text cannot become links or formatting on the card', () => {
    const json = JSON.stringify(incidentCard({ ...base, title: '[click me](https://evil.example)' }));
    expect(json).to.contain('\\\\[click me\\\\]\\\\(https://evil.example\\\\)');
  });
});
