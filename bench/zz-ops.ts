import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { cardAction, toBot } from '../local/teamsActivities.js';
import { BENCH_PERSON, BENCH_TENANT, startBenchApp } from './benchApp.js';
const t = await startBenchApp();
const post = (body: Record<string, unknown>) => fetch(`${t.app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(t.activity(body)) });
await post({ type: 'message', id: randomUUID(), from: BENCH_PERSON, ...toBot('declare Ops --sev P2') });
const [incident] = await t.provisioned(1);
await t.app.actions.drain();
await new Promise((r) => setTimeout(r, 1000));
const ops = new Map<string, number>();
mongoose.set('debug', (coll: string, method: string, query: unknown) => { const k = `${coll}.${method} ${JSON.stringify(query, (key, val) => (typeof val === "string" || typeof val === "number") && !["kind","$exists"].includes(key) ? "?" : val).slice(0, 120)}`; ops.set(k, (ops.get(k) ?? 0) + 1); });
let v = incident!.version;
for (let n = 0; n < 20; n++) {
  const r = await post({ type: 'invoke', name: 'adaptiveCard/action', id: randomUUID(), from: { ...t.local.world.people[0], id: '29:x' }, replyToId: incident!.card!.activityId, conversation: { id: `${incident!.channel!.id};messageid=${incident!.card!.activityId}`, tenantId: BENCH_TENANT, conversationType: 'channel' }, value: cardAction('update', { incidentId: incident!.id, v, updateText: `u ${n}` }) });
  v = Number(/"v":(\d+)/.exec(await r.text())?.[1] ?? v);
  await t.app.actions.drain(); await new Promise((r) => setTimeout(r, 50));
}
console.log([...ops].sort((a, b) => b[1] - a[1]).map(([k, c]) => `${(c / 20).toFixed(2)} ${k}`).join('\n'));
await t.close(); process.exit(0);
