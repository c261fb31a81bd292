// Placeholder build: copies the static page to dist/ until the Vite app lands.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
cpSync('index.html', 'dist/index.html');
