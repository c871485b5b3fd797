/**
 * Prometheus metrics for one app instance: HTTP requests and latencies per route, provisioning
 * step outcomes, timer lag. Each instance has its own registry (tests run several in one
 * process), exposed at GET /metrics.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Telemetry } from '../models/ports/telemetry.js';

export class PrometheusTelemetry implements Telemetry {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'incident_room_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'incident_room_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly steps = new Counter({ name: 'incident_room_provisioning_steps_total', help: 'Provisioning steps by outcome (done, retried, failed for good)', labelNames: ['step', 'outcome'], registers: [this.registry] });
  private readonly timers = new Counter({ name: 'incident_room_timers_total', help: 'Durable timers run, by kind and outcome', labelNames: ['kind', 'outcome'], registers: [this.registry] });
  private readonly timerLag = new Histogram({
    name: 'incident_room_timer_lag_seconds',
    help: 'How late a durable timer ran after it was due',
    labelNames: ['kind'],
    buckets: [0.5, 1, 5, 10, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'incident_room_' });
  }

  /** `route` is the route's pattern (e.g. /tab/api/incidents/:id), never the raw URL: ids would explode the label set. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  provisioningStep(step: string, outcome: 'done' | 'failed' | 'retried'): void {
    this.steps.inc({ step, outcome });
  }

  timerRan(kind: string, lagMs: number, outcome: 'done' | 'failed'): void {
    this.timers.inc({ kind, outcome });
    this.timerLag.observe({ kind }, lagMs / 1000);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
