import type { Page, PageRequest } from '../../shared/pagination.js';
import type { Notification } from './notification.js';

/** Each user's notifications. Adapters implement it. */
export interface InboxRepository {
  /** Adds the notification unless the inbox has it already (a redelivered event); true if added. */
  add(tenantId: string, userId: string, notification: Notification): Promise<boolean>;
  /** Newest first. */
  list(tenantId: string, userId: string, page: PageRequest): Promise<Page<Notification>>;
}
