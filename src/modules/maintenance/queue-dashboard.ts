import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from '../../common/http/domain-error.filter';
import { UserRole } from '../../database/entities/enums';
import { AuthErrors } from '../auth/auth-failures';
import type { Principal } from '../auth/principal';
import { SAFE_METHODS } from '../auth/principal';
import type { RequestAuthenticator } from '../auth/request-authenticator';
import type { JobProducer } from '../../queues/job-producer.service';
import { ALL_QUEUES } from '../../queues/queue-names';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The only changes the dashboard allows, and only to owners: retrying and cleaning jobs. */
const OWNER_ACTIONS = [/^\/api\/queues\/[^/]+\/(?:retry|clean)\/[^/]+$/, /^\/api\/queues\/[^/]+\/[^/]+\/(?:retry|clean)$/];

/** Owners and admins may look; only owners may retry or clean; everything else the UI offers is refused. */
export function checkDashboardAccess(principal: Principal, method: string, path: string): void {
  if (principal.role !== UserRole.Owner && principal.role !== UserRole.Admin) throw AuthErrors.forbidden('The queue dashboard is for owners and admins');
  if (SAFE_METHODS.has(method)) return;
  if (principal.role !== UserRole.Owner) throw AuthErrors.forbidden('Admins have read-only access to the queue dashboard');
  if (!OWNER_ACTIONS.some((pattern) => pattern.test(path))) throw AuthErrors.forbidden('The queue dashboard allows only retrying and cleaning jobs');
}

/** Mounts bull-board at /admin/queues behind the API's own authentication. */
export function registerQueueDashboard(fastify: FastifyInstance, jobs: JobProducer, authenticator: RequestAuthenticator): void {
  const serverAdapter = new FastifyAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  // @bull-board/fastify pins its own patch release of @bull-board/api: same interface, separately declared types.
  const boardAdapter = serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: ALL_QUEUES.map((name) => new BullMQAdapter(jobs.queue(name))), serverAdapter: boardAdapter, options: { uiConfig: { boardTitle: 'Conversa queues' } } });
  void fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.slice(QUEUE_DASHBOARD_PATH.length).split('?')[0];
      // The UI's bundled scripts and styles are bull-board's public assets; the page and its API are not.
      if (path.startsWith('/static/')) return;
      try {
        checkDashboardAccess(await authenticator.authenticate(request.headers, request.method), request.method, path);
      } catch (error) {
        const body = toErrorBody(error);
        return reply.status(body.statusCode).send(body);
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
