import { Injectable } from '@nestjs/common';

/** Business time of campaigns (sending windows, expiry, retry times); one seam so tests can freeze it. */
@Injectable()
export class CampaignClock {
  now(): Date {
    return new Date();
  }
}
