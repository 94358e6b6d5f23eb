import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../../../common/errors/common.errors';
import { DomainError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';
import { CommunicationsErrorCode } from '../communications.errors';
import { UploadedMediaDto } from '../media/media.dto';
import { MediaUploadsService, tooLarge, uploadLimit } from '../media/media-uploads.service';
import { MediaDownloadsService } from './media-downloads.service';

@ApiTags('media')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/media')
export class MediaController {
  constructor(
    private readonly media: MediaDownloadsService,
    private readonly uploads: MediaUploadsService,
    private readonly accounts: WhatsappAccountsService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'Download a stored media file: received media (the `media.id` of a message) or an upload' })
  @ApiOkResponse({ description: 'The file, with its content type', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { asset, stream } = await this.media.open(principal.organizationId, id);
    void reply
      .header('content-type', asset.mimeType ?? 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${(asset.filename ?? asset.id).replace(/"/g, '')}"`)
      .header('cache-control', 'private, max-age=300')
      .send(stream);
  }

  @Post()
  @MinRole(UserRole.Agent)
  @HttpCode(201)
  @ApiOperation({ summary: "Upload a file to send (multipart field `file`); WhatsApp's types and size limits per type apply. Send it with `{type: 'image', image: {id: <this id>}}`" })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiQuery({ name: 'accountId', required: false, description: 'The WhatsApp account that will send it (default: the default account)' })
  @ApiCreatedResponse({ type: UploadedMediaDto })
  async upload(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Query('accountId', new ParseUUIDPipe({ optional: true })) accountId?: string) {
    if (!request.isMultipart()) throw new DomainError(CommonErrorCode.UnsupportedMediaType, 'Upload the file as multipart/form-data (field `file`)');
    const account = accountId ? await this.accounts.get(principal.organizationId, accountId) : await this.accounts.getDefault(principal.organizationId);
    const file = await request.file();
    if (!file) throw new DomainError(CommunicationsErrorCode.MediaFileMissing, 'The multipart body has no file (field `file`)');
    // A type WhatsApp does not take is refused before its bytes are read; the per-type size is checked on upload.
    uploadLimit(file.mimetype, this.config.MEDIA_MAX_BYTES);
    const buffer = await file.toBuffer().catch((error: { code?: string }) => {
      throw error.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge(this.config.MEDIA_MAX_BYTES) : error;
    });
    return this.uploads.upload(principal.organizationId, account.id, { buffer, mimeType: file.mimetype, filename: file.filename || 'file' });
  }
}
