import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LogController } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyMultipart from '@fastify/multipart';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DomainErrorFilter } from '../common/http/domain-error.filter';
import { addErrorResponses } from '../common/http/openapi-errors';
import { RejectNulCharactersPipe } from '../common/http/nul-characters.pipe';
import { createValidationPipe } from '../common/http/validation.pipe';
import { PinoNestLogger } from '../common/logging/logger';
import type { AppConfig } from '../config/app-config';
import { RequestAuthenticator } from '../modules/auth/request-authenticator';
import { registerQueueDashboard } from '../modules/maintenance/queue-dashboard';
import { MetricsService } from '../modules/metrics/metrics.service';
import { JobProducer } from '../queues/job-producer.service';
import { registerWebApp } from '../modules/web/web-app';
import { addEventWebhooks } from '../modules/integrations/openapi-webhooks';
import { AppModule } from './app.module';

/** Builds (without listening) the Nest application for the configured roles. */
export async function createApplication(config: AppConfig, logger: Logger): Promise<INestApplication | INestApplicationContext> {
  const nestLogger = new PinoNestLogger(logger.child({ component: 'nest' }));
  const module = AppModule.forRoles(config, logger);
  if (!config.hasRole('api')) {
    return NestFactory.createApplicationContext(module, { logger: nestLogger });
  }
  const adapter = new FastifyAdapter({
    loggerInstance: logger.child({ component: 'http' }),
    // One access log line per request is written by our onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: true,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger: nestLogger, rawBody: true, bufferLogs: false });
  await configureHttp(app, config);
  await registerWebApp(app, logger.child({ component: 'web' }));
  await app.init();
  return app;
}

async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Multipart bodies are read by the route that takes them (POST /api/v1/media; the sandbox's Graph API reads the raw bytes).
  await app.register(fastifyMultipart, { limits: { fileSize: config.MEDIA_MAX_BYTES, files: 1, fields: 10 } });
  // A campaign's CSV audience is read as a stream by its handler, row by row.
  fastify.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  const metrics = app.get(MetricsService);
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    request.log.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  registerQueueDashboard(fastify, app.get(JobProducer), app.get(RequestAuthenticator));
  app.useGlobalFilters(new DomainErrorFilter());
  app.useGlobalPipes(new RejectNulCharactersPipe(), createValidationPipe());
  const document = addEventWebhooks(addErrorResponses(
    SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Conversa API')
      .setDescription('Multi-tenant WhatsApp Business communications backend')
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
    ),
  ));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
