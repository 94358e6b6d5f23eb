import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';

export const WEB_APP_PREFIX = '/app/';
/** Vite writes content-hashed file names under assets/: a new build never reuses a name, so they cache for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed assets, so browsers must revalidate it (ETag/Last-Modified) on every load. */
const REVALIDATE = 'no-cache';

export function webDistDir(): string {
  return resolve(process.cwd(), 'web', 'dist');
}

/** Serves the built inbox (`web/dist`, from `npm run build`) at /app; the API stays under /api/v1. */
export async function registerWebApp(app: NestFastifyApplication, logger: Logger, root = webDistDir()): Promise<void> {
  if (!existsSync(resolve(root, 'index.html'))) {
    logger.warn({ root }, 'web app not built (run npm run build): /app is not served');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: WEB_APP_PREFIX,
    // Serves the .br/.gz files the build writes beside each asset when the browser accepts them.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE);
      void reply.header('x-content-type-options', 'nosniff');
    },
  });
  app.getHttpAdapter().getInstance().get('/app', (_request, reply) => reply.redirect(WEB_APP_PREFIX, 301));
}
