import { All, Body, Controller, Get, HttpCode, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiPageResponse } from '../../../common/http/openapi-page';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { pageLimit } from '../../../common/pagination';
import { CommonErrorCode } from '../../../common/errors/common.errors';
import { DomainError, ValidationFailedError } from '../../../common/errors/domain-error';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config/app-config';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, Public, type Principal } from '../../auth/principal';
import { SANDBOX_GRAPH_PATH } from '../whatsapp-providers.service';
import { OutboxEntryDto, SandboxSettingsDto, SandboxSettingsResponseDto, SimulatedInboundDto } from './dto/sandbox-settings.dto';
import { GraphSimulator } from './graph-simulator';
import { SandboxService } from './sandbox.service';

export class SandboxInboundDto {
  @ApiProperty({ example: '+56912345678', description: 'The simulated customer' })
  @Matches(/^\+?[1-9]\d{6,14}$/)
  from: string;

  @ApiPropertyOptional({ example: 'Hola, ¿cuándo vence el F29?' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  text?: string;

  @ApiPropertyOptional({ example: 'María' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ description: 'Sandbox account (default: the organisation’s first sandbox account)' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ description: 'Reply to a button: its id' })
  @IsOptional()
  @IsString()
  buttonReplyId?: string;

  @ApiPropertyOptional({ description: 'Reply to a button: its title' })
  @IsOptional()
  @IsString()
  buttonReplyTitle?: string;
}

/** The simulated Graph API (what sandbox accounts call) and the sandbox's own controls. */
@ApiTags('sandbox')
@SkipThrottle()
@Controller('sandbox')
export class SandboxController {
  constructor(
    private readonly simulator: GraphSimulator,
    private readonly sandbox: SandboxService,
    private readonly config: AppConfig,
  ) {}

  /** No user principal: a sandbox account's own token authenticates it, as Meta's would (anything else gets Meta's 401). */
  @All('graph/*')
  @Public()
  @ApiExcludeEndpoint()
  async graph(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.sandbox.assertEnabled();
    const path = request.url.slice(SANDBOX_GRAPH_PATH.length) || '/';
    const caller = await this.sandbox.graphCaller(request.headers.authorization);
    // Media uploads arrive as multipart; the simulator parses the raw bytes itself, as Meta would.
    const multipart = request.isMultipart() ? await readBody(request.raw, this.config.MEDIA_MAX_BYTES) : undefined;
    const response = await this.simulator.handle({
      caller: caller ?? undefined,
      method: request.method,
      path,
      headers: request.headers,
      body: multipart ? undefined : request.body,
      rawBody: multipart ?? (request as FastifyRequest & { rawBody?: Buffer }).rawBody,
    });
    void reply.status(response.status).headers(response.headers ?? {}).send(response.body);
  }

  @Get('outbox')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'What the sandbox "Meta" received from this organisation’s sandbox accounts, newest first, cursor-paginated' })
  @ApiPageResponse(OutboxEntryDto)
  async outbox(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto) {
    this.sandbox.assertEnabled();
    return this.sandbox.outbox(principal.organizationId, pageLimit(query.limit), query.cursor);
  }

  @Get('settings')
  @ApiBearerAuth()
  @ApiOperation({ summary: "How the sandbox's Meta reviews templates and which recipients it fails, for one sandbox account" })
  @ApiOkResponse({ type: SandboxSettingsResponseDto })
  @ApiQuery({ name: 'accountId', required: false, description: 'Sandbox account (default: the first one)' })
  settings(@CurrentPrincipal() principal: Principal, @Query('accountId', new ParseUUIDPipe({ optional: true })) accountId?: string) {
    this.sandbox.assertEnabled();
    return this.sandbox.settings(principal.organizationId, accountId);
  }

  @Put('settings')
  @MinRole(UserRole.Admin)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make the sandbox reject submitted templates with a reason, or fail messages to given numbers with a Meta error code' })
  @ApiOkResponse({ type: SandboxSettingsResponseDto })
  configure(@CurrentPrincipal() principal: Principal, @Body() body: SandboxSettingsDto) {
    this.sandbox.assertEnabled();
    return this.sandbox.configure(principal.organizationId, body);
  }

  @Post('inbound')
  @MinRole(UserRole.Agent)
  @HttpCode(202)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make a simulated customer message arrive as a signed Meta webhook' })
  @ApiAcceptedResponse({ type: SimulatedInboundDto })
  async inbound(@CurrentPrincipal() principal: Principal, @Body() body: SandboxInboundDto) {
    this.sandbox.assertEnabled();
    if (!body.text && !body.buttonReplyId) throw new ValidationFailedError('text or buttonReplyId is required', [{ field: 'text', message: 'text or buttonReplyId is required' }]);
    return this.sandbox.simulateInbound(principal.organizationId, body);
  }
}

async function readBody(stream: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) throw new DomainError(CommonErrorCode.PayloadTooLarge, `The body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
