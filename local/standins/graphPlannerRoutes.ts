/**
 * The Graph stand-in's Planner, as Microsoft Learn documents it:
 * - "Create plannerTask" (`POST /planner/tasks`): planId of an existing plan, bucketId of one of
 *   its buckets, a title (at most 255 characters); 201 with the task and its @odata.etag.
 * - "Get plannerTask" / "List tasks" (`GET /planner/tasks/{id}`, `GET /planner/plans/{id}/tasks`).
 * - "Update plannerTask" (`PATCH /planner/tasks/{id}`): the If-Match header with the task's last
 *   known ETag is required; a stale one is 412 Precondition Failed; 204 without
 *   `Prefer: return=representation`. percentComplete is 0–100, dueDateTime an ISO time or null.
 * - "Get / Update plannerTaskDetails" (`/planner/tasks/{id}/details`): the description, with an
 *   ETag of its own, the same If-Match rules.
 * Planner sends no change notifications for tasks: clients poll. Permissions are checked before
 * these routes run (graphPermissions.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  get(path: string, handler: Handler): unknown;
  post(path: string, handler: Handler): unknown;
  patch(path: string, handler: Handler): unknown;
}

export interface FakePlannerTask {
  readonly id: string;
  readonly planId: string;
  bucketId: string;
  title: string;
  dueDateTime: string | null;
  percentComplete: number;
  completedDateTime: string | null;
  /** Who set it to 100% (an identitySet): a person in Planner, or the app through Graph. */
  completedBy: { user?: { id: string; displayName: string }; application?: { id: string; displayName: string } } | null;
  readonly createdDateTime: string;
  etag: string;
  details: { description: string; etag: string };
}

const TITLE_LIMIT = 255;
const etag = () => `W/"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBA${randomUUID().slice(0, 8)}YCc="`;

/** The plans (with their buckets) and their tasks. */
export class PlannerBoard {
  readonly plans = new Map<string, Set<string>>();
  readonly tasks = new Map<string, FakePlannerTask>();

  addPlan(planId: string, bucketIds: readonly string[]): void {
    this.plans.set(planId, new Set(bucketIds));
  }

  /** Someone changes the task in Planner (no notification is sent: Planner has none for tasks); `by` a person, else the app. */
  editAs(taskId: string, change: Partial<Pick<FakePlannerTask, 'title' | 'dueDateTime' | 'percentComplete'>> & { description?: string }, by?: { id: string; displayName: string }): void {
    const task = this.tasks.get(taskId)!;
    const { description, ...fields } = change;
    Object.assign(task, fields);
    if (fields.percentComplete !== undefined) {
      task.completedDateTime = fields.percentComplete === 100 ? new Date().toISOString() : null;
      task.completedBy = fields.percentComplete === 100 ? (by ? { user: by } : { application: { id: 'incident-room', displayName: 'incident-room' } }) : null;
    }
    task.etag = etag();
    if (description !== undefined) task.details = { description, etag: etag() };
  }
}

const taskJson = (t: FakePlannerTask) => ({
  '@odata.etag': t.etag, id: t.id, planId: t.planId, bucketId: t.bucketId, title: t.title, dueDateTime: t.dueDateTime, percentComplete: t.percentComplete,
  completedDateTime: t.completedDateTime, completedBy: t.completedBy, createdDateTime: t.createdDateTime, assignments: {}, appliedCategories: {},
});
const detailsJson = (t: FakePlannerTask) => ({ '@odata.etag': t.details.etag, id: t.id, description: t.details.description, previewType: 'automatic', references: {}, checklist: {} });

function fieldProblem(body: Record<string, unknown>): string | undefined {
  if (body.title !== undefined && (typeof body.title !== 'string' || !body.title.trim() || body.title.length > TITLE_LIMIT)) return `The title must be 1 to ${TITLE_LIMIT} characters.`;
  if (body.percentComplete !== undefined && !(Number.isInteger(body.percentComplete) && (body.percentComplete as number) >= 0 && (body.percentComplete as number) <= 100)) return 'percentComplete must be an integer from 0 to 100.';
  if (body.dueDateTime !== undefined && body.dueDateTime !== null && (typeof body.dueDateTime !== 'string' || Number.isNaN(Date.parse(body.dueDateTime)))) return 'dueDateTime must be a date and time (ISO 8601) or null.';
  return undefined;
}

export function mountPlannerRoutes(route: Routes, board: PlannerBoard): void {
  const task = (req: Request, res: Response) => {
    const found = board.tasks.get(String(req.params.task));
    if (!found) res.send(404, graphError(404, 'NotFound', 'The requested item is not found.'));
    return found;
  };
  /** If-Match is required on updates; a stale ETag means someone changed it since it was read. */
  const matches = (req: Request, res: Response, current: string) => {
    const given = req.headers['if-match'];
    if (!given) return void res.send(400, graphError(400, 'BadRequest', 'The If-Match header must be specified for this kind of request.'));
    if (given !== current && given !== '*') return void res.send(412, graphError(412, 'PreconditionFailed', 'The request does not match the current version of the item.'));
    return true;
  };
  const answer = (req: Request, res: Response, body: object) => (String(req.headers.prefer ?? '').includes('return=representation') ? res.send(200, body) : res.send(204));

  route.post('/v1.0/planner/tasks', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const buckets = typeof body.planId === 'string' ? board.plans.get(body.planId) : undefined;
    if (!buckets) return void res.send(404, graphError(404, 'NotFound', 'The plan does not exist, or the app has no access to it.'));
    if (typeof body.bucketId !== 'string' || !buckets.has(body.bucketId)) return void res.send(400, graphError(400, 'BadRequest', 'The bucketId must be a bucket of the plan.'));
    if (typeof body.title !== 'string') return void res.send(400, graphError(400, 'BadRequest', 'The title is required.'));
    const problem = fieldProblem(body);
    if (problem) return void res.send(400, graphError(400, 'BadRequest', problem));
    const created: FakePlannerTask = {
      id: randomUUID().replace(/-/g, '').slice(0, 28), planId: body.planId as string, bucketId: body.bucketId, title: body.title, dueDateTime: (body.dueDateTime as string | null | undefined) ?? null,
      percentComplete: (body.percentComplete as number | undefined) ?? 0, completedDateTime: body.percentComplete === 100 ? new Date().toISOString() : null, completedBy: body.percentComplete === 100 ? { application: { id: 'incident-room', displayName: 'incident-room' } } : null, createdDateTime: new Date().toISOString(), etag: etag(), details: { description: '', etag: etag() },
    };
    board.tasks.set(created.id, created);
    res.send(201, taskJson(created));
  });
  route.get('/v1.0/planner/tasks/:task', async (req, res) => {
    const found = task(req, res);
    if (found) res.send(200, taskJson(found));
  });
  route.patch('/v1.0/planner/tasks/:task', async (req, res) => {
    const found = task(req, res);
    if (!found || !matches(req, res, found.etag)) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problem = fieldProblem(body);
    if (problem) return void res.send(400, graphError(400, 'BadRequest', problem));
    const fields = Object.fromEntries(Object.entries(body).filter(([key]) => ['title', 'dueDateTime', 'percentComplete'].includes(key)));
    board.editAs(found.id, fields);
    answer(req, res, taskJson(found));
  });
  route.get('/v1.0/planner/tasks/:task/details', async (req, res) => {
    const found = task(req, res);
    if (found) res.send(200, detailsJson(found));
  });
  route.patch('/v1.0/planner/tasks/:task/details', async (req, res) => {
    const found = task(req, res);
    if (!found || !matches(req, res, found.details.etag)) return;
    const description = ((req.body ?? {}) as { description?: unknown }).description;
    if (description !== undefined && (typeof description !== 'string' || description.length > 32_000)) return void res.send(400, graphError(400, 'BadRequest', 'The description must be text.'));
    if (typeof description === 'string') found.details = { description, etag: etag() };
    answer(req, res, detailsJson(found));
  });
  route.get('/v1.0/planner/plans/:plan/tasks', async (req, res) => {
    if (!board.plans.has(String(req.params.plan))) return void res.send(404, graphError(404, 'NotFound', 'The plan does not exist, or the app has no access to it.'));
    res.send(200, { value: [...board.tasks.values()].filter((t) => t.planId === req.params.plan).map(taskJson) });
  });
}
