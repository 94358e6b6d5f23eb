import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { AuthErrors } from '../auth/auth-failures';
import { Public } from '../auth/principal';
import { metricsScrapeAllowed } from './metrics-token';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  scrape(@Res({ passthrough: true }) reply: FastifyReply, @Headers('authorization') authorization?: string): Promise<string> {
    if (!metricsScrapeAllowed(this.config.METRICS_TOKEN, authorization)) throw AuthErrors.unauthorized('A valid metrics token is required');
    // Set here, not with @Header: a refusal must still leave as JSON.
    void reply.type('text/plain; version=0.0.4; charset=utf-8');
    return this.metrics.registry.metrics();
  }
}
