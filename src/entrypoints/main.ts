import 'reflect-metadata';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createServer } from 'node:http';
import { createRootLogger } from '../common/logging/logger';
import { type AppConfig, loadConfig } from '../config/app-config';
import { EnvValidationError } from '../config/env.validation';
import { metricsScrapeAllowed } from '../modules/metrics/metrics-token';
import { MetricsService } from '../modules/metrics/metrics.service';
import { createApplication } from './http-app';
import { checkDependencies } from './preflight';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const problems = await checkDependencies(config.DATABASE_URL, config.REDIS_URL);
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const logger = createRootLogger(config.LOG_LEVEL);
  const app = await createApplication(config, logger);
  handleShutdown(app, config, logger);
  if (config.hasRole('api')) {
    await (app as INestApplication).listen(config.PORT, '0.0.0.0');
  } else if (config.HEALTH_PORT > 0) {
    startHealthServer(app, config.HEALTH_PORT, config.METRICS_TOKEN);
  }
  logger.info({ roles: [...config.roles], port: config.hasRole('api') ? config.PORT : config.HEALTH_PORT || null }, 'conversa started');
}

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof EnvValidationError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * SIGTERM/SIGINT: stop taking HTTP (in-flight requests finish), then close the application — workers
 * finish their running jobs before Redis and PostgreSQL close. Past SHUTDOWN_TIMEOUT_MS we exit anyway.
 */
function handleShutdown(app: INestApplication | INestApplicationContext, config: AppConfig, logger: ReturnType<typeof createRootLogger>): void {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline passed, exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    if (config.hasRole('api')) await (app as INestApplication).getHttpAdapter().close();
    await app.close();
    logger.info('shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

/** Worker/scheduler processes open no HTTP port except this optional liveness + metrics one. */
function startHealthServer(app: INestApplicationContext, port: number, token: string): void {
  const metrics = app.get(MetricsService);
  const server = createServer((req, res) => {
    if (req.url === '/health/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (req.url === '/metrics' && !metricsScrapeAllowed(token, req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"statusCode":401,"code":"UNAUTHORIZED","message":"A valid metrics token is required"}');
    } else if (req.url === '/metrics') {
      void metrics.registry.metrics().then((body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404,"code":"NOT_FOUND","message":"Not found"}');
    }
  });
  server.listen(port, '0.0.0.0');
  process.once('SIGTERM', () => server.close());
  process.once('SIGINT', () => server.close());
}

void main().catch((error: unknown) => {
  process.stderr.write(`Conversa failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
