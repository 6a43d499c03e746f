import { Counter } from 'prom-client';
import { metricsRegistry } from '@streaming/platform';

export const passwordChecks = new Counter({
  name: 'profile_password_checks_total',
  help: 'Password checks (sign-in and accountPassword), by outcome: match and mismatch ran scrypt; rate_limited and busy were refused before it.',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});
