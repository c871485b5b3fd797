import { createRequire } from 'node:module';

// adaptivecards' ESM build does not resolve under Node; its UMD bundle parses without a DOM.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

export const TEAMS_MAX_BYTES = 100 * 1024;

/** Everything the adaptivecards parser and validator object to, as readable strings. */
export function cardProblems(json: object): string[] {
  const problems: string[] = [];
  const version = (json as { version?: string }).version ?? '';
  if (!/^1\.[0-5]$/.test(version)) problems.push(`version ${version} is above what Teams renders (1.5)`);
  const size = Buffer.byteLength(JSON.stringify(json));
  if (size > TEAMS_MAX_BYTES) problems.push(`card is ${size} bytes, over Teams' ${TEAMS_MAX_BYTES}`);
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}
