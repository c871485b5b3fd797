import type { Config } from '../config.js';
import { LOCAL } from './defaults.js';
import type { LocalTeams } from './localTeams.js';

/** What `npm start` prints in local mode: where the sandbox is, and how to talk to the bot without it. */
export function printLocalBanner(app: { readonly url: string; readonly config: Config; readonly local: LocalTeams }): void {
  const { local } = app;
  const lines = [
    '',
    '  incident-room is running in LOCAL MODE: stand-in Teams, embedded database; the sandbox signs you in as whoever you act as.',
    '',
    `  Open the sandbox    ${app.url.replace('127.0.0.1', 'localhost')}/   (the incidents team in your browser: declare, click cards, open the tab)`,
    '',
    `  Bot endpoint        POST ${app.url}/api/messages`,
    `  What Teams received ${local.connector.url}/   (channels, cards, meetings)`,
    `  Graph stand-in      ${local.graph.url}/v1.0/...`,
    `  Connector stand-in  ${local.connector.url}/v3/conversations   (use as serviceUrl)`,
    `  Entra stand-in      ${local.entra.url}/${LOCAL.tenantId}/discovery/v2.0/keys   (signs the tab's Teams SSO tokens)`,
    `  Health              ${app.url}/healthz`,
    `  Alert webhooks      POST ${app.url}/api/alerts/{generic,alertmanager,grafana}   (Authorization: Bearer ${LOCAL.alertSecret})`,
    `  Pager               ${app.config.pager.kind === 'pagerduty' ? `PagerDuty stand-in at ${local.pagerDuty?.url}` : 'on-call rota of the sandbox people (@mentions in the incident channel)'}`,
    `  Database            ${app.config.mongodbUri ? 'MONGODB_URI' : app.config.local.dataDir ? `embedded CongoDB, kept in ${app.config.local.dataDir}/ between restarts (npm start -- --fresh for a clean start)` : 'embedded CongoDB (in memory; gone when you stop)'}`,
    '',
    '  Declare an incident:',
    `    curl -s -X POST ${app.url}/api/messages -H 'Content-Type: application/json' -d '{"type":"message","id":"demo-1","channelId":"msteams",` +
      `"serviceUrl":"${local.connector.url}/","from":{"id":"29:alex","name":"Alex Wilber","aadObjectId":"${LOCAL.adminAadObjectId}"},"recipient":{"id":"28:bot","name":"incident-room"},` +
      `"conversation":{"id":"19:general@thread.tacv2","tenantId":"local-tenant","conversationType":"channel"},"text":"<at>incident-room</at> declare Checkout API returns 500s --sev P1",` +
      `"entities":[{"type":"mention","text":"<at>incident-room</at>","mentioned":{"id":"28:bot","name":"incident-room"}}]}'`,
    `  then open ${local.connector.url}/`,
    '',
    '  Or let a monitor declare one:',
    `    curl -s -X POST ${app.url}/api/alerts/generic -H 'Authorization: Bearer ${LOCAL.alertSecret}' -H 'Content-Type: application/json' -d '{"title":"Checkout 5xx above 5%","severity":"critical","component":"checkout"}'`,
    '',
  ];
  console.log(lines.join('\n'));
}
