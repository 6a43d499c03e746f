import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * `npm run web`: the app on http://localhost:5173 (WEB_PORT), its /graphql proxied to the gateway
 * (WEB_GATEWAY_URL, default http://localhost:4000, where `npm start` listens), so the browser talks
 * to one origin and the gateway needs no CORS. WEB_FAULT adds an `x-fault` header to every
 * proxied request (e.g. `recommendation=error`), to see the degraded states against a
 * development gateway. The kit is compiled from its sources, as a workspace package.
 */
const gateway = process.env.WEB_GATEWAY_URL ?? 'http://localhost:4000';
const fault = process.env.WEB_FAULT;

export default defineConfig({
  resolve: {
    alias: { '@streaming/client': fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url)) },
  },
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: {
      '/graphql': { target: gateway, changeOrigin: true, headers: fault ? { 'x-fault': fault } : {} },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});
