import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../common/http/openapi-page';
import { UserDto } from './dto/auth-responses.dto';
import { UserRole } from '../../database/entities/enums';
import { CreateUserDto, UpdateUserDto } from './dto/auth.dto';
import { CurrentPrincipal, MinRole, type Principal } from './principal';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiSecurity('api-key')
@MinRole(UserRole.Admin)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: "List the organisation's users" })
  @ApiPageResponse(UserDto)
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.users.list(principal.organizationId), nextCursor: null };
  }

  @Post()
  @ApiOperation({ summary: 'Create a user (owners and admins; nobody grants a role above their own)' })
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return this.users.create(principal.organizationId, body, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(principal.organizationId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user: name, role, password, or deactivate them' })
  @ApiOkResponse({ type: UserDto })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto) {
    return this.users.update(principal.organizationId, id, body, principal);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a user' })
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.users.remove(principal.organizationId, id, principal);
  }
}
