/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run dev` talks to the API of `make run` (or API_URL) through Vite's proxy, so the
// browser sees one origin, as behind nginx and in `make run`.
const api = process.env.API_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: {
      '/api': api,
      '/media': api,
      '/ws': { target: api, ws: true },
    },
  },
  build: { sourcemap: true },
  test: {
    // Components talk to a real API (nothing of ours is mocked): the page's URL is the API
    // that tests/frontend/test_vitest.py starts with seeded data (or API_URL by hand).
    environment: 'jsdom',
    environmentOptions: { jsdom: { url: api } },
    // One server, shared accounts and carts: test files run one after another.
    fileParallelism: false,
    testTimeout: 15_000,
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
