import { Router } from 'express';
import { hash, type MockValues } from './mockValues';

/**
 * Images for the mock's URLs, drawn on the spot: a boxart is a gradient with the title's name
 * on it (the same name the API gives that title), so a screen built on the mock shows real-looking
 * tiles in any browser or image loader, without files or a network. `/mock/image/<key>.svg` is a
 * plain gradient tile (avatars, anything else with a URL).
 */
export function artworkRoute(values: MockValues): Router {
  const router = Router();
  router.get('/mock/artwork/:owner.svg', (req, res) => {
    const { width, height } = size(req.query);
    send(res, svg(req.params.owner, width, height, values.titleName(req.params.owner), String(req.query.type ?? '')));
  });
  router.get('/mock/image/:key.svg', (req, res) => {
    const { width, height } = size(req.query);
    send(res, svg(req.params.key, width, height, '', ''));
  });
  return router;
}

function size(query: Record<string, unknown>): { width: number; height: number } {
  const int = (v: unknown, fallback: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 && n <= 4_096 ? n : fallback;
  };
  return { width: int(query.w, 341), height: int(query.h, 192) };
}

function send(res: import('express').Response, body: string): void {
  res.set('content-type', 'image/svg+xml').set('cache-control', 'public, max-age=86400').send(body);
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function svg(key: string, width: number, height: number, label: string, type: string): string {
  const h = hash(key);
  const hue = h % 360;
  const second = (hue + 40 + ((h >>> 9) % 80)) % 360;
  const fontSize = Math.max(10, Math.round(Math.min(width / Math.max(label.length, 8) * 1.6, height / 4)));
  const text = label
    ? `<text x="${Math.round(width * 0.06)}" y="${Math.round(height * 0.88)}" font-family="Helvetica, Arial, sans-serif" font-weight="700" font-size="${fontSize}" fill="#fff">${escape(type === 'LOGO' ? label.toUpperCase() : label)}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},65%,38%)"/><stop offset="1" stop-color="hsl(${second},70%,16%)"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>${text}</svg>`;
}
