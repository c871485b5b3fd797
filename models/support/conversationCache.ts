import type { ConversationAddress } from '../incident/incident.js';
import type { Clock } from '../ports/clock.js';
import type { ConversationStore } from '../ports/conversationStore.js';

const DEFAULT_TTL_MS = 5 * 60_000;
/** Plenty for one tenant's channels and chats; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

/**
 * Keeps recently seen service URLs in memory in front of the store. Every incoming activity
 * carries its service URL and every proactive post needs one; they change rarely (a tenant
 * moving region), so writing and reading MongoDB each time only added latency to every click
 * (1–5 ms of a ~12 ms update on the embedded server). A changed URL is written at once; an
 * unchanged one at most once per TTL, so the stored "seen at" stays roughly current.
 */
export class CachedConversations implements ConversationStore {
  private readonly written = new Map<string, { serviceUrl: string; at: number }>();
  private readonly read = new Map<string, { serviceUrl: string | undefined; at: number }>();

  constructor(
    private readonly store: ConversationStore,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  async remember(address: ConversationAddress): Promise<void> {
    const key = `${address.tenantId}\n${address.conversationId}`;
    const now = this.clock.now().getTime();
    const last = this.written.get(key);
    if (last && last.serviceUrl === address.serviceUrl && now - last.at < this.ttlMs) return;
    await this.store.remember(address);
    this.bound();
    this.written.set(key, { serviceUrl: address.serviceUrl, at: now });
    // What we just learned answers lookups for this conversation and, as the latest, its tenant.
    this.read.set(key, { serviceUrl: address.serviceUrl, at: now });
    this.read.set(`${address.tenantId}\n`, { serviceUrl: address.serviceUrl, at: now });
  }

  async serviceUrlFor(tenantId: string, conversationId?: string): Promise<string | undefined> {
    const key = `${tenantId}\n${conversationId ?? ''}`;
    const now = this.clock.now().getTime();
    const cached = this.read.get(key);
    if (cached?.serviceUrl && now - cached.at < this.ttlMs) return cached.serviceUrl;
    // A conversation not seen yet (a channel just created) is in its tenant's region: the tenant's latest URL answers it.
    const tenant = conversationId ? this.read.get(`${tenantId}\n`) : undefined;
    if (tenant?.serviceUrl && now - tenant.at < this.ttlMs) return tenant.serviceUrl;
    const serviceUrl = await this.store.serviceUrlFor(tenantId, conversationId);
    this.bound();
    this.read.set(key, { serviceUrl, at: now });
    return serviceUrl;
  }

  private bound(): void {
    if (this.written.size > MAX_ENTRIES) this.written.clear();
    if (this.read.size > MAX_ENTRIES) this.read.clear();
  }
}
