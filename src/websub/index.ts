export { createWebsubStore, type Subscription, type WebsubStore } from './store.js';
export { registerWebsub } from './routes.js';
export { countStatuses, reviewSubscriptions, startReviews } from './renew.js';
export { describePush, pushHealth, pushStatus, type PushHealth, type PushStatus } from './status.js';
