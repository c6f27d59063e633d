// Turning @polkadot/api's codec values into plain data: every integer becomes a bigint (never a
// JavaScript number, so no amount passes through floating point), structs become objects with
// camelCase keys, options become the value or null, enums become { type, value }.

import { GenericAccountId } from '@polkadot/types';
import {
  AbstractInt,
  BTreeMap,
  Bool,
  Bytes,
  Enum,
  Null,
  Option,
  Struct,
  Text,
  Tuple,
  U8aFixed,
  Vec,
  VecFixed,
} from '@polkadot/types-codec';
import { u8aToHex } from '@polkadot/util';

/** What `plain` produces. */
export type Plain =
  | null
  | boolean
  | bigint
  | string
  | Plain[]
  | { [key: string]: Plain }
  | { type: string; value: Plain };

/** A codec value as plain data (see the module comment). */
export function plain(c: unknown): Plain {
  if (c === null || c === undefined || c instanceof Null) return null;
  if (c instanceof AbstractInt) return c.toBigInt();
  if (c instanceof Bool) return c.isTrue;
  if (c instanceof Option) return c.isSome ? plain(c.unwrap()) : null;
  if (c instanceof GenericAccountId) return c.toString();
  if (c instanceof Text) return c.toString();
  if (c instanceof Bytes || c instanceof U8aFixed) return u8aToHex(c);
  if (c instanceof Struct) {
    const out: { [key: string]: Plain } = {};
    for (const [k, v] of c.entries()) out[String(k)] = plain(v);
    return out;
  }
  if (c instanceof Enum) return { type: c.type, value: plain(c.value) };
  if (c instanceof BTreeMap) return [...c.entries()].map(([k, v]) => [plain(k), plain(v)]);
  if (c instanceof Vec || c instanceof VecFixed || c instanceof Tuple) {
    return [...(c as unknown as Iterable<unknown>)].map(plain);
  }
  if (typeof c === 'boolean' || typeof c === 'string' || typeof c === 'bigint') return c;
  throw new Error(`cannot read a ${(c as object).constructor?.name ?? typeof c} from the chain`);
}

/** Bytes (hex) as UTF-8 text, for names and notes the chain stores as `Vec<u8>`. */
export function hexText(hex: string): string {
  const bytes = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return new TextDecoder().decode(bytes);
}

/** A model id (16 bytes, hex) as the UUID Numerai shows. */
export function uuidOf(hex: string): string {
  const h = hex.replace(/^0x/, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A UUID (any case, with or without dashes) as the model id's hex, or null if it is not one. */
export function modelHex(uuid: string): string | null {
  const h = uuid.trim().replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(h) ? `0x${h}` : null;
}
