import { messagingTier } from './whatsapp-accounts.service';

describe('messagingTier', () => {
  it('reads the tier a business_capability_update announces', () => {
    expect(messagingTier({ max_daily_conversations_per_business: 2000, max_phone_numbers_per_waba: 25 })).toBe(2000);
    expect(messagingTier({ max_daily_conversation_per_phone: 'TIER_10K' })).toBe(10000);
    expect(messagingTier({ max_daily_conversations_per_business: -1 })).toBeNull();
    expect(messagingTier({ max_daily_conversations_per_business: 'UNLIMITED' })).toBeNull();
  });

  it('leaves the tier alone when the update does not name one', () => {
    expect(messagingTier({ max_phone_numbers_per_waba: 25 })).toBeUndefined();
  });
});
