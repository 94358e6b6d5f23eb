import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Principal } from './principal';

/** Throttles only the admin API, per user or API key (per IP before authentication, e.g. login). */
@Injectable()
export class ConversaThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ url: string }>();
    return !request.url.startsWith('/api/');
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = req.principal as Principal | undefined;
    if (principal) return `${principal.kind}:${principal.id}`;
    return `ip:${String(req.ip)}`;
  }
}
