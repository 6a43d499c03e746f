import {
  ADJECTIVES, COUNTRIES, DATASET_EPOCH, FIRST_NAMES, GENRES, LANGUAGES, NOUNS, PLACES, Random, SYNOPSIS_ENDINGS, SYNOPSIS_OPENINGS,
} from '@streaming/demo-data';
import {
  getNamedType, getNullableType, isEnumType, isLeafType, isListType, isObjectType, isInterfaceType,
  type GraphQLEnumType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';

/** Where an object was reached from: what its values may depend on (an artwork's type, a row's place). */
export interface Origin {
  parentType: string;
  parentKey: string;
  field: string;
  args: Record<string, unknown>;
  /** Position in the parent's list, when it is in one. */
  index?: number;
}

/** FNV-1a: a stable 32-bit hash, so a value depends only on what it is for, never on request order. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ROW_TITLES: Record<string, (r: Random) => string> = {
  CONTINUE_WATCHING: () => 'Continue Watching',
  MY_LIST: () => 'My List',
  TRENDING: () => 'Trending Now',
  TOP_10: (r) => `Top 10 in ${r.pick(['the US', 'the UK', 'Canada', 'Germany', 'France', 'Japan'])} Today`,
  BECAUSE_YOU_WATCHED: (r) => `Because You Watched ${titleNameFrom(r)}`,
  GENRE: (r) => `${r.pick(GENRES)[1]} Picks`,
  NEW_RELEASES: () => 'New Releases',
};

/** Fields whose value is what the mutation that returned the object made it. */
const MUTATED = ['PlaybackSession.state'];

const ARTWORK_SIZES: Record<string, [number, number]> = { BOXART: [341, 192], HERO: [1920, 1080], LOGO: [600, 200] };
const QUALITY_SIZES: Record<string, [number, number, number]> = { SD: [854, 480, 1_500], HD: [1920, 1080, 5_000], UHD: [3840, 2160, 15_000] };
const TIER_STREAMS: Record<string, [number, string]> = { BASIC: [1, 'SD'], STANDARD: [2, 'HD'], PREMIUM: [4, 'UHD'] };

function titleNameFrom(r: Random): string {
  const shape = r.int(0, 3);
  if (shape === 0) return `The ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`;
  if (shape === 1) return `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`;
  if (shape === 2) return `${r.pick(NOUNS)} of ${r.pick(PLACES)}`;
  return `${r.pick(PLACES)} ${r.pick(NOUNS)}`;
}

/**
 * Plausible, deterministic values for the mock server: a value is a function of the seed, the
 * object (type and key) and the field, so the same title has the same name in every response and
 * in every run (stable screenshots), whatever order requests arrive in. Fields it knows (a
 * title's name, an artwork's URL, a progress bar's position) get values that look like the real
 * service's; a field it doesn't know gets one by its name and type, so new schema works at once.
 */
export class MockValues {
  constructor(private readonly seed: number, private readonly publicUrl: string) {}

  random(...parts: Array<string | number>): Random {
    return new Random(hash(`${this.seed}|${parts.join('|')}`));
  }

  /** A title's name from its key: what the artwork route prints on its boxart. */
  titleName(key: string): string {
    return titleNameFrom(this.random('Title', key, 'name'));
  }

  artworkUrl(owner: string, type: string, width: number, height: number): string {
    return `${this.publicUrl}/mock/artwork/${encodeURIComponent(owner)}.svg?type=${encodeURIComponent(type)}&w=${width}&h=${height}`;
  }

  /** The key (the `id`, when the type has one) of an object reached from `origin`. */
  idFor(type: GraphQLNamedType, origin: Origin): string {
    const r = this.random(type.name, origin.parentType, origin.parentKey, origin.field, JSON.stringify(origin.args), origin.index ?? '');
    switch (type.name) {
      case 'Title': {
        // Steps of 7 through the demo's 2,000 ids: no title twice in a list, and titles recur across lists.
        const start = this.random(type.name, origin.parentType, origin.parentKey, origin.field, JSON.stringify(origin.args)).int(0, 1_999);
        return `t-${String(((start + (origin.index ?? 0) * 7) % 2_000) + 1).padStart(5, '0')}`;
      }
      case 'Genre': {
        // Steps of 5 through the 32 genres: no genre twice on a title.
        const start = this.random(type.name, origin.parentKey, origin.field).int(0, GENRES.length - 1);
        return GENRES[(start + (origin.index ?? 0) * 5) % GENRES.length][0];
      }
      case 'Profile':
        return origin.index !== undefined ? `${origin.parentKey}-${origin.index + 1}` : `profile-${r.int(1, 99_999)}`;
      case 'HomeRow':
        return `${origin.parentKey}:row-${(origin.index ?? 0) + 1}`;
      default:
        return `${type.name.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}-${r.int(1, 999_999).toString(36)}`;
    }
  }

  /** Every leaf field without arguments of an object, for the mock store. */
  objectValues(schema: GraphQLSchema, typeName: string, key: string, origin: Origin | undefined): Record<string, unknown> {
    const type = schema.getType(typeName);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return {};
    const values: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.args.length > 0 || !isLeafType(getNamedType(field.type))) continue;
      values[field.name] = this.leaf(typeName, key, field, origin);
    }
    const kindField = type.getFields().kind;
    const kinds = kindField && isEnumType(getNamedType(kindField.type)) ? (getNamedType(kindField.type) as GraphQLEnumType).getValues().map((v) => v.name) : [];
    return { ...values, ...this.consistent(typeName, key, values, kinds) };
  }

  /**
   * Values a mutation sets on an object that may already exist: a session `stopPlayback` returns
   * is ENDED even if `startPlayback` made it PLAYING a moment ago.
   */
  mutationValues(schema: GraphQLSchema, typeName: string, key: string, origin: Origin): Record<string, unknown> {
    const type = schema.getType(typeName);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return {};
    const fields = type.getFields();
    return Object.fromEntries(MUTATED.filter((f) => f.startsWith(`${typeName}.`) && fields[f.split('.')[1]]).map((f) => {
      const name = f.split('.')[1];
      return [name, this.leaf(typeName, key, fields[name], origin)];
    }));
  }

  private leaf(typeName: string, key: string, field: GraphQLField<unknown, unknown>, origin: Origin | undefined): unknown {
    const named = getNamedType(field.type);
    if (isListType(getNullableType(field.type))) {
      const r = this.random(typeName, key, field.name, 'length');
      return Array.from({ length: r.int(1, 3) }, (_, i) => this.scalar(typeName, `${key}[${i}]`, field.name, named, origin));
    }
    return this.scalar(typeName, key, field.name, named, origin);
  }

  private scalar(typeName: string, key: string, name: string, type: GraphQLNamedType, origin: Origin | undefined): unknown {
    const r = this.random(typeName, key, name);
    const known = this.known(typeName, key, name, r, origin);
    if (known !== undefined) return known;
    if (isEnumType(type)) return r.pick(type.getValues()).value;
    if (name === 'id' || type.name === 'ID') return name === 'id' ? key : `${name.replace(/Id$/, '')}-${r.int(1, 99_999)}`;
    if (/At$/.test(name)) return new Date(DATASET_EPOCH.getTime() - r.int(0, 30 * 24) * 3_600_000).toISOString();
    if (/Url$/.test(name) || name === 'url') return `${this.publicUrl}/mock/image/${encodeURIComponent(`${typeName}-${key}`)}.svg?w=320&h=180`;
    if (/Seconds$/.test(name)) return r.int(60, 7_200);
    if (/Kbps$/.test(name)) return r.pick([800, 1_500, 3_000, 5_000, 8_000, 15_000]);
    if (/^(width|height)$/.test(name)) return name === 'width' ? 1280 : 720;
    if (name === 'number') return (origin?.index ?? r.int(0, 9)) + 1;
    switch (type.name) {
      case 'Boolean':
        return r.chance(0.5);
      case 'Int':
        return r.int(1, 100);
      case 'Float':
        return Math.round(r.next() * 1_000) / 100;
      default:
        return `${r.pick(ADJECTIVES)} ${r.pick(NOUNS).toLowerCase()}`;
    }
  }

  /** Values for fields of this service's types, where a generic one would look wrong on a screen. */
  private known(typeName: string, key: string, name: string, r: Random, origin: Origin | undefined): unknown {
    switch (`${typeName}.${name}`) {
      case 'Title.name':
        return this.titleName(key);
      case 'Title.synopsis':
      case 'Episode.synopsis':
        return `${r.pick(SYNOPSIS_OPENINGS)} ${r.pick(SYNOPSIS_ENDINGS)}`;
      case 'Title.releaseYear':
        return r.int(1985, 2026);
      case 'Title.runtimeSeconds':
        return r.int(80, 150) * 60;
      case 'Episode.runtimeSeconds':
        return r.int(22, 60) * 60;
      case 'Episode.name':
        return `${r.pick(['The', 'A', 'No', 'One'])} ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`;
      case 'Genre.name':
        return GENRES.find(([id]) => id === key)?.[1] ?? r.pick(GENRES)[1];
      case 'Profile.name':
        return r.pick(FIRST_NAMES);
      case 'Profile.isKids':
        return /kids/i.test(key);
      case 'Profile.avatarUrl':
        return `${this.publicUrl}/mock/image/${encodeURIComponent(`avatar-${key}`)}.svg?w=128&h=128`;
      case 'Account.email':
        return `${key}@example.com`;
      case 'Artwork.width':
      case 'Artwork.height': {
        const [width, height] = ARTWORK_SIZES[String(origin?.args.type)] ?? [341, 192];
        return name === 'width' ? width : height;
      }
      case 'Artwork.url': {
        const [width, height] = ARTWORK_SIZES[String(origin?.args.type)] ?? [341, 192];
        return this.artworkUrl(origin?.parentKey ?? key, String(origin?.args.type ?? 'BOXART'), width, height);
      }
      case 'PlaybackSession.state':
        // What the mutation that returned it leaves it in: stopped, or playing.
        return origin?.field === 'stopPlayback' ? 'ENDED' : 'PLAYING';
      case 'Manifest.url':
        return `https://edge.streaming.example/v/${encodeURIComponent(key)}/master.m3u8`;
      case 'Manifest.cdnEdge':
        return r.pick(['edge-fra-1', 'edge-lhr-2', 'edge-iad-1', 'edge-nrt-1']);
      case 'Rendition.codec':
        return r.pick(['avc1.640028', 'hvc1.2.4.L123.B0', 'av01.0.08M.08']);
      default:
        break;
    }
    if (name === 'country') return r.pick(COUNTRIES);
    if (name === 'language') return r.pick(Object.values(LANGUAGES));
    if (/token$/i.test(name)) return `mock-${name}-${r.int(100_000, 999_999)}`;
    if (name === 'deviceId') return `device-${r.int(1, 999)}`;
    return undefined;
  }

  /** Fields that must agree with each other: a position within its duration, a row's title with its kind. */
  private consistent(typeName: string, key: string, values: Record<string, unknown>, kinds: string[]): Record<string, unknown> {
    const r = this.random(typeName, key, 'consistent');
    const out: Record<string, unknown> = {};
    if ('positionSeconds' in values && 'durationSeconds' in values) {
      const duration = r.int(20, 150) * 60;
      const position = Math.floor(duration * r.next());
      out.durationSeconds = duration;
      out.positionSeconds = position;
      if ('completed' in values) out.completed = position > duration * 0.95;
    }
    if (typeName === 'HomeRow' && typeof values.kind === 'string') {
      const rowNumber = Number(/row-(\d+)$/.exec(key)?.[1] ?? 1);
      // Rows in the order a home screen has them, among the kinds the schema still has.
      const order = Object.keys(ROW_TITLES).filter((k) => kinds.includes(k));
      const kind = order.length > 0 ? order[(rowNumber - 1) % order.length] : values.kind;
      out.kind = kind;
      out.title = ROW_TITLES[kind]?.(r) ?? `${String(kind).charAt(0)}${String(kind).slice(1).toLowerCase().replace(/_/g, ' ')}`;
    }
    if (typeof values.tier === 'string' && TIER_STREAMS[values.tier]) {
      const [streams, quality] = TIER_STREAMS[values.tier];
      if ('maxConcurrentStreams' in values) out.maxConcurrentStreams = streams;
      if ('maxQuality' in values) out.maxQuality = quality;
    }
    if (typeof values.quality === 'string' && QUALITY_SIZES[values.quality]) {
      const [width, height, kbps] = QUALITY_SIZES[values.quality];
      Object.assign(out, { width, height, bitrateKbps: kbps });
    }
    return out;
  }
}
