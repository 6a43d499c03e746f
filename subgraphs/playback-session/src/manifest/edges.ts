/**
 * Where a session's video is served from: the CDN edge (the role Open Connect appliances play)
 * closest to the viewer. Serving from inside the viewer's country or region keeps latency and
 * transit cost down; the lookup goes country, then region, then a global default so a country
 * we have no table entry for still plays.
 */

const host = (site: string): string => `${site}.oca.streaming.example`;

/** Countries with their own edge site. Keys are ISO 3166-1 alpha-2 codes. */
const EDGE_BY_COUNTRY: ReadonlyMap<string, string> = new Map([
  ['US', host('us-east-1')],
  ['CA', host('ca-central-1')],
  ['MX', host('mx-central-1')],
  ['BR', host('sa-east-1')],
  ['GB', host('eu-west-2')],
  ['IE', host('eu-west-1')],
  ['DE', host('eu-central-1')],
  ['FR', host('eu-west-3')],
  ['ES', host('eu-south-2')],
  ['IT', host('eu-south-1')],
  ['IN', host('ap-south-1')],
  ['JP', host('ap-northeast-1')],
  ['KR', host('ap-northeast-2')],
  ['SG', host('ap-southeast-1')],
  ['AU', host('ap-southeast-2')],
]);

type Region = 'NA' | 'LATAM' | 'EU' | 'APAC' | 'MEA';

/** The edge a region's countries without their own site are served from. */
const EDGE_BY_REGION: Readonly<Record<Region, string>> = {
  NA: host('us-east-1'),
  LATAM: host('sa-east-1'),
  EU: host('eu-central-1'),
  APAC: host('ap-southeast-1'),
  MEA: host('me-central-1'),
};

const REGION_BY_COUNTRY: ReadonlyMap<string, Region> = new Map<string, Region>([
  ...['US', 'CA', 'PR'].map((c) => [c, 'NA'] as const),
  ...['MX', 'BR', 'AR', 'CL', 'CO', 'PE', 'UY', 'EC', 'CR', 'PA', 'DO', 'GT'].map((c) => [c, 'LATAM'] as const),
  ...['GB', 'IE', 'DE', 'FR', 'ES', 'IT', 'PT', 'NL', 'BE', 'LU', 'AT', 'CH', 'SE', 'NO', 'DK', 'FI', 'PL', 'CZ', 'HU', 'RO', 'GR']
    .map((c) => [c, 'EU'] as const),
  ...['IN', 'JP', 'KR', 'SG', 'AU', 'NZ', 'TW', 'HK', 'TH', 'MY', 'ID', 'PH', 'VN'].map((c) => [c, 'APAC'] as const),
  ...['AE', 'SA', 'QA', 'KW', 'IL', 'TR', 'EG', 'MA', 'ZA', 'NG', 'KE'].map((c) => [c, 'MEA'] as const),
]);

/** Anycast name that routes to the nearest healthy site, for countries not in the tables. */
export const GLOBAL_DEFAULT_EDGE = host('global');

/**
 * The edge host for a viewer's country (ISO 3166-1 alpha-2, any case). Maps rather than
 * object literals so that input like "constructor" can't resolve to a prototype property.
 */
export function chooseEdge(country: string): string {
  const code = country.trim().toUpperCase();
  const own = EDGE_BY_COUNTRY.get(code);
  if (own) return own;
  const region = REGION_BY_COUNTRY.get(code);
  return region ? EDGE_BY_REGION[region] : GLOBAL_DEFAULT_EDGE;
}
