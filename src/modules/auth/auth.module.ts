import { StreamTickets } from './stream-tickets.service';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { RedisClient } from '../../common/redis/redis-client';
import { REDIS } from '../../common/redis/redis.module';
import { AppConfig } from '../../config/app-config';
import { ApiKey } from '../../database/entities/api-key.entity';
import { Organization } from '../../database/entities/organization.entity';
import { User } from '../../database/entities/user.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ConversaThrottlerGuard } from './conversa-throttler.guard';
import { RequestAuthenticator } from './request-authenticator';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

const LOGIN_HANDLERS: ReadonlySet<unknown> = new Set([AuthController.prototype.login, AuthController.prototype.openSession]);

@Module({
  imports: [
    TypeOrmModule.forFeature([User, ApiKey, Organization]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: { expiresIn: config.JWT_EXPIRES_IN as `${number}h` },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: RedisClient) => ({
        throttlers: [
          { name: 'api', ttl: 60_000, limit: config.API_RATE_LIMIT_PER_MINUTE },
          {
            name: 'login',
            ttl: 60_000,
            limit: config.LOGIN_RATE_LIMIT_PER_MINUTE,
            blockDuration: 60_000,
            // Only the login routes (token and browser session) count against this budget.
            skipIf: (context) => !LOGIN_HANDLERS.has(context.getHandler()),
          },
        ],
        storage: new RedisThrottlerStorage(redis, `${config.QUEUE_PREFIX}:throttle:`),
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    AuthService,
    UsersService,
    ApiKeysService,
    RequestAuthenticator,
    StreamTickets,
    // Order matters: authenticate first so the throttler can key on the principal.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: ConversaThrottlerGuard },
  ],
  exports: [UsersService, AuthService, RequestAuthenticator, StreamTickets, TypeOrmModule],
})
export class AuthModule {}
