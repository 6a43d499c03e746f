/** Who sends a document: the signed-in demo viewer, nobody, or a sign-in of its own per gateway (for SignOut). */
export type Caller =
  | { kind: 'viewer'; account: string }
  | { kind: 'anonymous' }
  | { kind: 'fresh'; account: string };

/** One document of the corpus, sent as is to every gateway under test. */
export interface DocumentCase {
  /** Unique in the corpus; letters, digits, '-' and '_' (it travels in the request id). */
  id: string;
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  caller: Caller;
}

/** Documents whose id starts with this get no faults (see FaultPlan). */
export const CLEAN_PREFIX = 'clean-';
