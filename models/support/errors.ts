/**
 * How the outside world failed, in the domain's words. Adapters translate HTTP/SDK errors
 * into these; the provisioning saga decides to retry, give up, or try another name.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  /**
   * `refused`: the service said it did not take the request (throttled, unavailable, never
   * connected), so a message sent with it did not land; otherwise it may have.
   */
  constructor(message: string, readonly retryAfterMs?: number, readonly refused = false) {
    super(message);
  }
}

export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  /** What a person should do next, e.g. which permission to grant. */
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export class NameTakenError extends Error {
  override readonly name = 'NameTakenError';
}

/** A user's input that we refuse, with the message to show them. Nothing was written. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}
