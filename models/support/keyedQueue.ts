/**
 * Runs tasks that share a key one after another, and tasks with different keys freely.
 * IncidentActions queues writes per incident: within one process there is no point racing
 * ourselves into optimistic-concurrency conflicts (16 concurrent clicks on one incident used to
 * retry each other into refusals); across replicas the version check still decides.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
