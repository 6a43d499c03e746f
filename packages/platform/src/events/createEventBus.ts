import { numberFrom, type Env } from '../config';
import type { EventBus } from './EventBus';
import { InProcessBus } from './InProcessBus';
import { DEFAULT_DEAD_LETTER_MAX_LENGTH, RedisStreamBus } from './RedisStreamBus';

/**
 * Redis Streams when REDIS_URL (or REDIS_CLUSTER_NODES) is set; otherwise an in-process bus, which only connects
 * subgraphs running in the same process: that is why the embedded mode runs all four in one
 * process and hands them one bus (see packages/embedded).
 */
export function createEventBus(options: { redisUrl?: string; keyPrefix: string; env?: Env }): EventBus {
  const env = options.env ?? {};
  if (options.redisUrl) {
    return new RedisStreamBus({
      url: options.redisUrl, keyPrefix: options.keyPrefix,
      deadLetterMaxLength: numberFrom(env, 'EVENT_DEAD_LETTER_MAX_LENGTH', DEFAULT_DEAD_LETTER_MAX_LENGTH, 'wholeNonNegative'),
    });
  }
  return new InProcessBus();
}
