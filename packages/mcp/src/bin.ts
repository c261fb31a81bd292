#!/usr/bin/env node
import { runStdioMcpServer } from './index.js';

const baseUrl = (process.env.AEGIS_BASE_URL ?? 'http://127.0.0.1:9100').replace(/\/+$/, '');
await runStdioMcpServer({ baseUrl, token: process.env.AEGIS_AUTH_TOKEN });
