/**
 * A wire enum value this client does not know (a newer name, or a number without a name).
 * It is kept, never mapped to a known value; `toJSON` gives back the raw wire value so REST JSON round-trips.
 */
export class UnknownEnum {
  constructor(
    /** The proto enum type, e.g. `JobState`. */
    readonly enumType: string,
    /** The value exactly as it arrived: a name string or an enum number. */
    readonly raw: string | number,
  ) {}

  /** The raw wire value, so `JSON.stringify` writes what the server sent. */
  toJSON(): string | number {
    return this.raw;
  }

  /** A readable form for logs and event attributes. */
  toString(): string {
    return String(this.raw);
  }
}

/** A known enum name, or an {@link UnknownEnum} kept from the wire. */
export type EnumValue<N extends string> = N | UnknownEnum;

/** Name↔number tables of one proto enum. */
export interface ProtoEnum<N extends string> {
  readonly typeName: string;
  readonly names: readonly N[];
  readonly numberOf: Readonly<Record<N, number>>;
  readonly nameOf: ReadonlyMap<number, N>;
}

/** Builds the tables for a proto enum from its `as const` name list and a number for every name. */
export function defineProtoEnum<N extends string>(
  typeName: string,
  names: readonly N[],
  numberOf: Readonly<Record<N, number>>,
): ProtoEnum<N> {
  const nameOf = new Map<number, N>(names.map(name => [numberOf[name], name]));
  return {typeName, names, numberOf, nameOf};
}

/** True when `value` is an {@link UnknownEnum}. */
export function isUnknownEnum(value: unknown): value is UnknownEnum {
  return value instanceof UnknownEnum;
}

/** True when `value` is one of the enum's known names. */
export function isKnownName<N extends string>(def: ProtoEnum<N>, value: unknown): value is N {
  return typeof value === 'string' && Object.hasOwn(def.numberOf, value);
}

/**
 * Decodes a wire enum (a name, or a number under `enum-encoding=int`): known values become their name,
 * unknown ones an {@link UnknownEnum}. Returns `undefined` for anything that is not a name or an integer.
 */
export function decodeEnum<N extends string>(def: ProtoEnum<N>, raw: unknown): EnumValue<N> | undefined {
  if (typeof raw === 'string') return isKnownName(def, raw) ? raw : new UnknownEnum(def.typeName, raw);
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) {
    return def.nameOf.get(raw) ?? new UnknownEnum(def.typeName, raw);
  }
  return undefined;
}

/** The wire name of a value, or the raw form of an unknown one (e.g. `"42"`). */
export function enumName(value: EnumValue<string>): string {
  return typeof value === 'string' ? value : value.toString();
}
