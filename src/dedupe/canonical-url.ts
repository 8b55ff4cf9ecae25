/**
 * One spelling per article URL, so the same story linked from two feeds (one through a newsletter
 * with tracking tags, one as the AMP page) is recognised as one. Folding is deliberately lossy: the
 * result is an identity for comparison, not a link to show anyone.
 */

const TRACKING_PREFIXES = ['utm_', 'mtm_', 'pk_', 'hsa_', 'oly_', '__twitter', '_hs'];

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'igsh',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  'vero_id',
  'vero_conv',
  '_ga',
  '_gl',
  'ref',
  'ref_src',
  'ref_url',
  'referrer',
  'source',
  'cmpid',
  'ncid',
  'ocid',
  'smid',
  'smtyp',
  'sr_share',
  'share',
  'spm',
  'soc_src',
  'soc_trk',
  'wt.mc_id',
  'at_medium',
  'at_campaign',
  'rss',
  's_cid',
  'ito',
  'int_source',
  'traffic_source',
  'xtor',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
]);

/** Query values that only select an AMP or mobile rendering of the same page. */
const RENDERING_PARAMS: Record<string, RegExp> = {
  amp: /^(|1|true|yes)$/i,
  outputtype: /^amp$/i,
  output: /^amp$/i,
  platform: /^(amp|mobile|hootsuite)$/i,
  mobile: /^(|1|true|yes)$/i,
  m: /^(|1|true)$/i,
  usqp: /.*/,
  amp_js_v: /.*/,
};

const HOST_VARIANTS = /^(?:www\d*|m|mobile|amp|amp-[a-z0-9]+)\./;

function isTracking(name: string, value: string): boolean {
  const key = name.toLowerCase();
  const rendering = RENDERING_PARAMS[key];
  if (rendering) return rendering.test(value);
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p));
}

function foldHost(host: string): string {
  let h = host.toLowerCase().replace(/\.$/, '');
  // Strip repeatedly: "www.m.example.com" and "amp.www.example.com" both occur in the wild.
  for (let i = 0; i < 3 && HOST_VARIANTS.test(h) && h.split('.').length > 2; i++)
    h = h.replace(HOST_VARIANTS, '');
  return h;
}

function foldPath(path: string): string {
  let p = path
    .replace(/\/{2,}/g, '/')
    .replace(/\.amp\.html?$/i, '.html')
    .replace(/\/amp(?:\.html?)?\/?$/i, '/')
    .replace(/^\/amp\/(?=.)/i, '/')
    .replace(/\/index\.html?$/i, '/');
  if (p.length > 1) p = p.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

export function canonicalUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return url.trim();
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;
  const host = foldHost(u.hostname);
  const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : '';
  const params = [...u.searchParams.entries()]
    .filter(([k, v]) => !isTracking(k, v))
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return `https://${host}${port}${foldPath(u.pathname)}${query ? `?${query}` : ''}`;
}
