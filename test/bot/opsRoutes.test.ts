import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { expect } from 'chai';
import { instrumentRequests, mountOpsRoutes, type OpsDeps } from '../../http/opsRoutes.js';
import { PrometheusTelemetry } from '../../adapters/prometheus.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

async function serve(deps: Partial<OpsDeps>) {
  const server = restify.createServer();
  const telemetry = new PrometheusTelemetry();
  const all: OpsDeps = { mode: 'real', telemetry, log: quiet, ping: async () => undefined, shuttingDown: () => false, ...deps };
  instrumentRequests(server, all);
  mountOpsRoutes(server, all);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('ops routes in real mode', () => {
  it('keeps /metrics off without METRICS_TOKEN, and says how to turn it on', async () => {
    const s = await serve({});
    try {
      const response = await fetch(`${s.url}/metrics`);
      expect(response.status).to.equal(404);
      expect((await response.json()).message).to.contain('set METRICS_TOKEN');
    } finally {
      await s.close();
    }
  });

  it('is not ready from the moment shutdown starts, while still live', async () => {
    let stopping = false;
    const s = await serve({ shuttingDown: () => stopping });
    try {
      expect((await fetch(`${s.url}/readyz`)).status).to.equal(200);
      stopping = true;
      const response = await fetch(`${s.url}/readyz`);
      expect(response.status).to.equal(503);
      expect(await response.json()).to.deep.equal({ status: 'shutting down' });
      expect((await fetch(`${s.url}/healthz`)).status).to.equal(200);
    } finally {
      await s.close();
    }
  });
});
