/**
 * Injectable failures for the stand-ins: latency on every call, and scripted error replies
 * (429 with Retry-After, 5xx, connection resets) for matching requests, a given number of times.
 */
export interface Fault {
  readonly method?: string;
  /** Matched against the request path (without query). */
  readonly path: RegExp;
  /**
   * An HTTP status to answer with; 'reset' closes the connection without doing anything;
   * 'drop-response' does the work (e.g. creates the channel) and then closes the connection,
   * like a response lost on the way back.
   */
  readonly status: number | 'reset' | 'drop-response';
  /** Waits this long before failing, like a hung call. */
  readonly delayMs?: number;
  readonly retryAfterSeconds?: number;
  readonly code?: string;
  readonly message?: string;
  /** How many matching requests fail; then the fault is spent. */
  times: number;
  /** Fail only this share of the matching requests (0–1), at random: background noise for soak runs. */
  readonly chance?: number;
}

export class FaultPlan {
  private faults: Fault[] = [];
  latencyMs = 0;

  add(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ ...fault, times: fault.times ?? (fault.chance !== undefined ? Infinity : 1) });
  }

  clear(): void {
    this.faults = [];
    this.latencyMs = 0;
  }

  /** The fault this request hits, consuming one of its uses. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path) && (f.chance === undefined || Math.random() < f.chance));
    if (fault) fault.times -= 1;
    return fault;
  }
}
