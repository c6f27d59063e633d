import { defineConfig } from 'vite';

// A static site: `npm run build` writes dist/, which any static server (or `npm run preview`)
// serves. Relative asset paths, so dist/ also works from a sub-path.
export default defineConfig({
  base: './',
  build: { target: 'es2022', outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 2048 },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  preview: { host: '127.0.0.1', port: 8788, strictPort: true },
});
