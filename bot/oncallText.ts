/** The `oncall` command's answer: who is on call now and next, the rota, the policy, and warnings. */
import type { Person } from '../models/incident/incident.js';
import { timingFor } from '../models/paging/oncall.js';
import type { RotaView } from '../models/paging/rota.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { md, mdJoin, type Markdown } from '../models/support/markdown.js';
import { utcMinute } from '../models/support/utcMinute.js';

/** Names (and the rota's and levels' names) are people's words or the rota file's: escaped by md. */
const names = (people: readonly Person[]) => people.map((p) => p.name).join(', ');

export function onCallText(view: RotaView): Markdown {
  const lines: Markdown[] = [];
  const { setup, shift } = view;
  if (setup && shift) {
    lines.push(md`**On call now** (${setup.rota.name}, until ${utcMinute(shift.handoffAt)}): primary **${shift.primary.name}**${shift.secondary ? md`, secondary **${shift.secondary.name}**` : ''}.`);
    lines.push(md`**Rota** (${setup.rota.shiftHours} h shifts, in this order): ${names(setup.rota.people)}.`);
    const policy = setup.policy.map((step, n) => `${n + 1}. ${step.label ?? (typeof step.target === 'string' ? `${step.target} on-call` : names(step.target.people))}`);
    lines.push(md`**Escalation policy**: ${policy.join(' → ')}; each level has ${timingFor(setup, 'P1').ackMinutes} min (P1) to acknowledge before the next is paged.`);
    lines.push(md`**Timings**: ${SEVERITIES.map((s) => `${s} ack ${timingFor(setup, s).ackMinutes} min, updates every ${timingFor(setup, s).updateMinutes} min`).join('; ')}.`);
  }
  // Warnings are plain text that may name the rota: escaped whole.
  for (const warning of view.warnings) lines.push(md`⚠️ ${warning}`);
  lines.push(md`Change the rota with \`oncall add @person\` or \`oncall remove @person\`.`);
  return mdJoin(lines, md`\n\n`);
}
