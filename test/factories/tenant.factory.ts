import type { Contact } from '../../src/database/entities/contact.entity';
import { UserRole } from '../../src/database/entities/enums';
import type { Organization } from '../../src/database/entities/organization.entity';
import type { User } from '../../src/database/entities/user.entity';
import type { WhatsappAccount } from '../../src/database/entities/whatsapp-account.entity';
import { login } from '../support/http';
import type { TestApp } from '../support/test-app';
import { contactFactory } from './contact.factory';
import { organizationFactory } from './organization.factory';
import { DEFAULT_TEST_PASSWORD, userFactory } from './user.factory';
import { whatsappAccountFactory } from './whatsapp-account.factory';

export interface Tenant {
  organization: Organization;
  owner: User;
  account: WhatsappAccount;
  contact: Contact;
  token: string;
}

/** An organisation with an owner (logged in), a WhatsApp account and one contact. */
export async function createTenant(app: TestApp, accountOverrides: Partial<WhatsappAccount> = {}): Promise<Tenant> {
  const organization = await organizationFactory.create(app.dataSource);
  const owner = await userFactory.create(app.dataSource, { organizationId: organization.id, role: UserRole.Owner });
  const account = await whatsappAccountFactory.create(app.dataSource, app.config, { organizationId: organization.id, ...accountOverrides });
  const contact = await contactFactory.create(app.dataSource, { organizationId: organization.id });
  const token = await login(app, owner.email, DEFAULT_TEST_PASSWORD);
  return { organization, owner, account, contact, token };
}
