import type { Logger } from '@streaming/platform/core';
import { executorFallbacks } from '../telemetry/metrics';
import type { ExecutorEvents } from './OwnExecutorGateway';

/** Fallbacks to stock's executor: counted per request in /metrics, logged once per compiled operation. */
export function executorEvents(log: Logger): ExecutorEvents {
  return {
    fellBack: (reason) => executorFallbacks.inc({ reason }),
    compiledToStock: (operationName, reason) => log.info(`operation ${operationName ?? '(anonymous)'} runs on stock's executor: ${reason}`),
  };
}
