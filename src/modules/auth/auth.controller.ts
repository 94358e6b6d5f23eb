import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { MeDto, SessionOpenedDto, TokenDto } from './dto/auth-responses.dto';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/auth.dto';
import { CurrentPrincipal, type Principal, Public } from './principal';
import { clearSessionCookie, durationSeconds, setSessionCookie } from './session-cookie';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @SkipThrottle({ api: true })
  @Throttle({ login: {} })
  @ApiOperation({ summary: 'Exchange email and password for a JWT (rate limited per IP)' })
  @ApiOkResponse({ type: TokenDto })
  login(@Body() body: LoginDto) {
    return this.auth.login(body.email, body.password);
  }

  @Post('session')
  @Public()
  @HttpCode(200)
  @SkipThrottle({ api: true })
  @Throttle({ login: {} })
  @ApiOperation({ summary: 'Browser login: sets an HttpOnly, SameSite=Strict session cookie (mutating requests then need X-Conversa-CSRF)' })
  @ApiOkResponse({ type: SessionOpenedDto })
  async openSession(@Body() body: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { accessToken, user } = await this.auth.login(body.email, body.password);
    setSessionCookie(request, reply, accessToken, durationSeconds(this.config.JWT_EXPIRES_IN));
    return { user };
  }

  @Delete('session')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Browser logout: clears the session cookie' })
  closeSession(@Res({ passthrough: true }) reply: FastifyReply): void {
    clearSessionCookie(reply);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Who is calling: the user (or API key) and its organisation and role' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = principal.kind === 'user' ? await this.users.get(principal.organizationId, principal.id) : null;
    return { kind: principal.kind, id: principal.id, organizationId: principal.organizationId, role: principal.role, email: user?.email ?? null, name: user?.name ?? null };
  }
}
