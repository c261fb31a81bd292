import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  // `pnpm dev`: the API of a running `ag serve` on the same origin, so no CORS is needed.
  server: {
    proxy: { '/v1': { target: process.env.AEGIS_BASE_URL ?? 'http://127.0.0.1:9100', changeOrigin: true } },
  },
});
