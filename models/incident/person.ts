/** Someone in Teams, as the record keeps them. */
export interface Person {
  /** Teams user id (29:…), stable per tenant for the bot. */
  readonly id: string;
  readonly name: string;
  /** Entra object id, when Teams tells us (needed for Graph calls and mentions in the tab). */
  readonly aadObjectId?: string;
}
