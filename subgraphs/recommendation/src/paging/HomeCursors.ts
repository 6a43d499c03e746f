import { createHmac, timingSafeEqual } from 'node:crypto';
import { badUserInput } from '@streaming/platform';

/** Continue a visit's rows after the row at `afterRow` (its index among the visit's rows). */
export interface RowsCursor {
  kind: 'rows';
  visitId: string;
  /** Epoch seconds: the visit's end, the same for all its cursors. */
  expiresAt: number;
  afterRow: number;
}

/** Continue the row at `row` (its index among the visit's rows) after its first `afterItems` titles. */
export interface ItemsCursor {
  kind: 'items';
  visitId: string;
  expiresAt: number;
  row: number;
  afterItems: number;
}

export type HomeCursor = RowsCursor | ItemsCursor;

/** Whose cursor it is: it is only good for this profile, asked by this account. */
export interface CursorOwner {
  accountId: string;
  profileId: string;
}

/** 128 bits of HMAC-SHA256: plenty against forgery (RFC 2104 allows truncating to half), and a shorter cursor on the wire. */
const MAC_BYTES = 16;
/** Longer than any cursor this code signs; anything longer isn't worth decoding. */
const MAX_LENGTH = 512;
const DOMAIN = 'streaming-supergraph/home-cursor/v1';
const NOT_OURS = "after is not a cursor of this profile's home screen: pass a cursor a page of this profile gave, or leave after out to start from the first page";

type Wire = { k: 'r'; v: string; x: number; r: number } | { k: 'i'; v: string; x: number; r: number; n: number };

/**
 * Home-screen cursors: opaque to clients, and safe to take back from them. Each is a small JSON
 * payload (which visit, where in it by position, until when) and an HMAC over it, the owning account and the
 * profile, under a key only the recommendation subgraph holds (`CURSOR_SIGNING_SECRET`). The
 * owner is in the MAC, not in the payload: a cursor names no one, and one replayed for another
 * profile or by another account fails exactly like a forged one. Whatever fails is
 * `BAD_USER_INPUT` on `after`, with a message that says what to do.
 */
export class HomeCursors {
  constructor(private readonly secret: string, private readonly now: () => number = Date.now) {}

  sign(cursor: HomeCursor, owner: CursorOwner): string {
    const wire: Wire = cursor.kind === 'rows'
      ? { k: 'r', v: cursor.visitId, x: cursor.expiresAt, r: cursor.afterRow }
      : { k: 'i', v: cursor.visitId, x: cursor.expiresAt, r: cursor.row, n: cursor.afterItems };
    const payload = Buffer.from(JSON.stringify(wire)).toString('base64url');
    return `${payload}.${this.mac(payload, owner).toString('base64url')}`;
  }

  /** The cursor `text` is, if it is a `kind` cursor of `owner`'s, unexpired; else BAD_USER_INPUT. */
  verify<K extends HomeCursor['kind']>(text: string, kind: K, owner: CursorOwner): Extract<HomeCursor, { kind: K }> {
    const cursor = this.decode(text, owner);
    if (!cursor) throw badUserInput(NOT_OURS, 'after');
    if (cursor.kind !== kind) {
      throw badUserInput(cursor.kind === 'items'
        ? "after is a cursor of a row's titles (itemsPageInfo.endCursor), not of the rows: pass it to homeRow(id:) { items(after:) }, or a row's cursor here"
        : "after is a cursor of the rows (HomeRow.cursor), not of a row's titles: pass it to homeRows(after:), or the row's itemsPageInfo.endCursor here", 'after');
    }
    if (cursor.expiresAt * 1000 <= this.now()) {
      throw badUserInput('after has expired (a home-screen visit lasts minutes): start again from the first page, without after', 'after');
    }
    return cursor as Extract<HomeCursor, { kind: K }>;
  }

  private decode(text: string, owner: CursorOwner): HomeCursor | undefined {
    if (text.length > MAX_LENGTH) return undefined;
    const [payload, mac, ...rest] = text.split('.');
    if (!payload || !mac || rest.length > 0) return undefined;
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(payload, owner))) return undefined;
    let wire: unknown;
    try {
      wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    return fromWire(wire);
  }

  private mac(payload: string, owner: CursorOwner): Buffer {
    return createHmac('sha256', this.secret)
      .update(`${DOMAIN}\u0000${owner.accountId}\u0000${owner.profileId}\u0000${payload}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Signed by us, but read as untrusted all the same: a cursor of another version may differ. */
function fromWire(wire: unknown): HomeCursor | undefined {
  if (typeof wire !== 'object' || wire === null) return undefined;
  const w = wire as Record<string, unknown>;
  if (typeof w.v !== 'string' || !isCount(w.x) || !isCount(w.r)) return undefined;
  if (w.k === 'r') return { kind: 'rows', visitId: w.v, expiresAt: w.x, afterRow: w.r };
  if (w.k === 'i' && isCount(w.n)) return { kind: 'items', visitId: w.v, expiresAt: w.x, row: w.r, afterItems: w.n };
  return undefined;
}
