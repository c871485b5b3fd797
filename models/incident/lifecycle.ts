/**
 * The incident status lifecycle as a pure transition table. Keeping it data makes the
 * rules reviewable at a glance and lets the card offer only the moves that are legal.
 */
export const STATUSES = ['triage', 'investigating', 'identified', 'monitoring', 'resolved', 'closed', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

const transitions: Readonly<Record<Status, readonly Status[]>> = {
  triage: ['investigating', 'identified', 'monitoring', 'resolved'],
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['monitoring', 'investigating', 'closed'],
  closed: ['archived'],
  archived: [],
};

export function nextStatuses(from: Status): readonly Status[] {
  return transitions[from];
}

export function canMove(from: Status, to: Status): boolean {
  return transitions[from].includes(to);
}

export function isOpen(status: Status): boolean {
  return status !== 'resolved' && status !== 'closed' && status !== 'archived';
}
