import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../../common/http/openapi-page';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { CreateWebhookEndpointDto, ReplayDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto';
import { ReplayResultDto, TestDeliveryDto, WebhookDeliveryDto, WebhookEndpointDto, WebhookEndpointWithSecretDto } from './dto/webhook-endpoint-responses.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** Outbound webhook endpoints (Standard Webhooks): owners and admins only. */
@ApiTags('integrations')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/integrations/webhooks')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Post()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Create an endpoint; the answer carries its `whsec_…` secret, shown this once' })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateWebhookEndpointDto) {
    return this.endpoints.create(p.organizationId, body);
  }

  @Get()
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'List the organisation\'s endpoints (one page)' })
  @ApiPageResponse(WebhookEndpointDto)
  async list(@CurrentPrincipal() p: Principal) {
    return { data: await this.endpoints.list(p.organizationId), nextCursor: null };
  }

  @Get(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'One endpoint (without its secret)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.endpoints.get(p.organizationId, id);
  }

  @Patch(':id')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Change the URL, events or description' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWebhookEndpointDto) {
    return this.endpoints.update(p.organizationId, id, body);
  }

  @Delete(':id')
  @MinRole(UserRole.Admin)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint' })
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.endpoints.remove(p.organizationId, id);
  }

  @Post(':id/rotate-secret')
  @MinRole(UserRole.Admin)
  @HttpCode(200)
  @ApiOperation({ summary: 'New secret (shown once); the previous one keeps signing during the overlap window' })
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  rotate(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.endpoints.rotateSecret(p.organizationId, id);
  }

  @Post(':id/enable')
  @MinRole(UserRole.Admin)
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable an endpoint again (e.g. after it was disabled for failing)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  enable(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.endpoints.enable(p.organizationId, id);
  }

  @Post(':id/test')
  @MinRole(UserRole.Admin)
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a `test.ping` event to this endpoint' })
  @ApiAcceptedResponse({ type: TestDeliveryDto })
  test(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.deliveries.test(p.organizationId, id);
  }

  @Get(':id/deliveries')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'Deliveries to this endpoint, newest first (paged)' })
  @ApiPageResponse(WebhookDeliveryDto)
  listDeliveries(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto) {
    return this.deliveries.list(p.organizationId, id, query.cursor, query.limit);
  }

  @Get(':id/deliveries/:deliveryId')
  @MinRole(UserRole.Admin)
  @ApiOperation({ summary: 'One delivery: status, attempts, response code, latency, error' })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  getDelivery(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string) {
    return this.deliveries.get(p.organizationId, id, deliveryId);
  }

  @Post(':id/replay')
  @MinRole(UserRole.Admin)
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every event of [since, until) this endpoint subscribes to' })
  @ApiAcceptedResponse({ type: ReplayResultDto })
  replay(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReplayDto) {
    return this.deliveries.replay(p.organizationId, id, body);
  }

  @Post('deliveries/:deliveryId/redeliver')
  @MinRole(UserRole.Admin)
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  redeliver(@CurrentPrincipal() p: Principal, @Param('deliveryId', ParseUUIDPipe) deliveryId: string) {
    return this.deliveries.redeliver(p.organizationId, deliveryId);
  }
}
