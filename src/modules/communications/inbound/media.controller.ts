import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../auth/principal';
import { MediaDownloadsService } from './media-downloads.service';

@ApiTags('media')
@ApiBearerAuth()
@Controller('api/v1/media')
export class MediaController {
  constructor(private readonly media: MediaDownloadsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Download a stored inbound media file' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { asset, stream } = await this.media.open(principal.organizationId, id);
    void reply
      .header('content-type', asset.mimeType ?? 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${(asset.filename ?? asset.id).replace(/"/g, '')}"`)
      .header('cache-control', 'private, max-age=300')
      .send(stream);
  }
}
