import { throttlingRetryPolicy, type Pipeline } from '@azure/core-rest-pipeline';
import type { ConnectorClient } from 'botframework-connector';

const DEFAULT_RETRY_POLICY = 'defaultRetryPolicy';

/**
 * The connector client retries on its own after a reset or a 5xx, when the message may already
 * be in the channel: a second copy, with nobody looking first. Here it only retries what Teams
 * refused (429 and 503 with Retry-After); everything else goes back to the caller (the outbox
 * worker, the provisioning saga), which looks before it posts again.
 */
export function retryingOnlyWhenRefused(client: ConnectorClient): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new Error('the Bot Framework connector client has no request pipeline to configure (botbuilder changed?)');
  if (!pipeline.getOrderedPolicies().some((p) => p.name === DEFAULT_RETRY_POLICY)) return client; // configured already
  pipeline.removePolicy({ name: DEFAULT_RETRY_POLICY });
  pipeline.addPolicy(throttlingRetryPolicy(), { phase: 'Retry' });
  return client;
}
