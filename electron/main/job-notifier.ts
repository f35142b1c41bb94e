import { Notification } from 'electron';
import type { JobNotifier } from '../services/jobs';
import { isEnded, jobNotificationText } from './job-notification-text';

/** Ends of the user's jobs as system notifications; silent where the system offers none. */
export function systemJobNotifier(locale: () => string): JobNotifier {
  return {
    jobEnded(job) {
      if (!isEnded(job) || !Notification.isSupported()) return;
      new Notification(jobNotificationText(job, locale())).show();
    },
  };
}
