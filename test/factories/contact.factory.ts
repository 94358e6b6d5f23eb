import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Contact } from '../../src/database/entities/contact.entity';
import { Conversation } from '../../src/database/entities/conversation.entity';

export const contactFactory = {
  build(overrides: Partial<Contact> = {}): Partial<Contact> {
    // +56 9 93… to 98…: ranges libphonenumber accepts as Chilean mobiles (some +569 1… are unassigned).
    const local = `${randomInt(93, 99)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    return { phoneE164: `+569${local}`, waId: `569${local}`, name: 'Cliente Prueba', profileName: 'Cliente', labels: [], customAttributes: {}, ...overrides };
  },
  create(ds: DataSource, overrides: Partial<Contact> & { organizationId: string }): Promise<Contact> {
    return ds.getRepository(Contact).save(this.build(overrides));
  },
};

export const conversationFactory = {
  create(
    ds: DataSource,
    overrides: Partial<Conversation> & { organizationId: string; whatsappAccountId: string; contactId: string },
  ): Promise<Conversation> {
    return ds.getRepository(Conversation).save({ botState: {}, labels: [], ...overrides });
  },
};
