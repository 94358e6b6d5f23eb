import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { TokenDto } from './dto/auth-responses.dto';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/auth.dto';
import { Public } from './principal';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

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
}
