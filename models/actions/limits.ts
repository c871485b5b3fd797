/**
 * How much text each field of an action may hold. The decisions enforce these with a message
 * that says the limit; cards set them as `maxLength`; chat, card and tab inputs are bounded at
 * INPUT_BOUND on the way in, so an oversized field is refused before it reaches a decision but
 * a slightly long one still gets the decision's clear answer.
 */
export const TEXT_LIMITS = {
  update: 2000,
  note: 2000,
  escalationNote: 2000,
  severityReason: 300,
  summaryField: 300,
  topic: 200,
  publicText: 2000,
  personId: 200,
  takeoverReason: 300,
} as const;

/** The most any one text field may carry in a request (chat command, card action, tab call). */
export const INPUT_BOUND = 10_000;
