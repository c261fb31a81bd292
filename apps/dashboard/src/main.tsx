import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { initialLocale, setLocale } from './i18n/index.js';
import { applyTheme, storedTheme } from './lib/theme.js';
import './styles.css';

// Before the first render, so a pinned theme does not flash the system one.
applyTheme(storedTheme());

// The remembered (or the browser's) language, loaded before the first render: no English flash.
await setLocale(initialLocale(), false).catch(() => setLocale('en', false));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
