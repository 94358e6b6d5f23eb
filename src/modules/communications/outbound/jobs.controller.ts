import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { BulkJobStatusDto } from './dto/message-responses.dto';
import { CurrentPrincipal, type Principal } from '../../auth/principal';
import { BulkSendService } from './bulk-send.service';

@ApiTags('messages')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly bulk: BulkSendService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Progress of a bulk send: recipients queued, sent, delivered, failed, skipped' })
  @ApiOkResponse({ type: BulkJobStatusDto })
  job(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.bulk.status(principal.organizationId, id);
  }
}
