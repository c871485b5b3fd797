/**
 * Draws one Adaptive Card the way the sandbox shows cards everywhere (in a conversation and in a
 * dialog): Teams' host config for the page's theme, and the people picker for choice sets that
 * search the directory.
 */
import { TEAMS_DARK_HOST_CONFIG, TEAMS_LIGHT_HOST_CONFIG } from './hostConfig.js';
import { peoplePickerRegistry } from './peoplePicker.js';
import type { Person } from './clientTypes.js';

declare const AdaptiveCards: any;

export class CardView {
  private readonly registry: unknown;
  /** The conversation each drawn card is in (a people query with `scope=currentContext` searches its members). */
  private readonly conversations = new WeakMap<object, string>();

  /** `people`: the local directory (everyone in the incidents team). */
  constructor(people: () => readonly Person[]) {
    this.registry = peoplePickerRegistry((scope, card) => {
      if (scope === 'organization') return people();
      // The conversation's members: a standard channel has the whole team; a personal chat, the person.
      const conversationId = this.conversations.get(card) ?? '';
      return conversationId.split(';')[0]!.endsWith('@thread.tacv2') ? people() : people().filter((p) => p.chatId === conversationId);
    });
  }

  /** The card drawn, or a sentence saying why it cannot be. */
  render(json: object, conversationId: string, onAction: (action: any) => void): HTMLElement {
    const holder = document.createElement('div');
    holder.className = 'card';
    // "Full width Adaptive Card" (msteams.width Full): Teams draws it as wide as the conversation.
    if ((json as { msteams?: { width?: string } }).msteams?.width === 'Full') holder.classList.add('full');
    const card = new AdaptiveCards.AdaptiveCard();
    this.conversations.set(card, conversationId);
    card.hostConfig = new AdaptiveCards.HostConfig(document.body.classList.contains('dark') ? TEAMS_DARK_HOST_CONFIG : TEAMS_LIGHT_HOST_CONFIG);
    card.onExecuteAction = onAction;
    try {
      const context = new AdaptiveCards.SerializationContext();
      context.setElementRegistry(this.registry);
      card.parse(json, context);
      const rendered = card.render();
      if (rendered) holder.append(rendered);
    } catch (error) {
      holder.textContent = `This card could not be shown: ${(error as Error).message}`;
    }
    return holder;
  }
}
