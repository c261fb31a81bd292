import { randomBytes } from 'node:crypto';

/** Answers that fill a template (interactive `ag init` asks for them; otherwise the defaults). */
export interface TemplateValues {
  port: number;
  /** A bootstrap admin token (\`ag init --force\`, the team template): the server's, which \`ag\` sends too. */
  token?: string;
  /** Defaults of the sessions \`ag run\` / \`ag create\` start (\`ag init --model/--name/--from-template\`). */
  sessionDefaults?: { model?: string; name?: string; template?: string };
  /** Folders sessions may work in (`allowedWorkDirs`); absent: the server's default, as a comment. */
  allowedWorkDirs?: string[];
}

/** The `allowedWorkDirs` line of the `server:` section; JSON strings are valid YAML. */
const workDirsLine = (dirs: string[] | undefined) =>
  dirs && dirs.length > 0
    ? `  allowedWorkDirs: [${dirs.map((d) => JSON.stringify(d)).join(', ')}]  # sessions may work only inside these (AEGIS_ALLOWED_WORKDIRS)\n`
    : '  # allowedWorkDirs: [/home/me/code]  # default: $HOME and the folder `ag serve` runs in\n';

export interface ConfigTemplate {
  name: string;
  description: string;
  /** The file holds a secret: written with mode 0600, and `ag init` says to keep it out of git. */
  secret?: boolean;
  render(values: TemplateValues): string;
}

const header = (name: string) =>
  `# Aegis configuration (template "${name}", written by \`ag init\`).
# Precedence: command-line flags > AEGIS_* environment variables > this file > built-in defaults.
# Check it with \`ag doctor\`. Every server setting is listed in the README ("Configuration").
`;

const clientBlock = ({ port, token, sessionDefaults: d = {} }: TemplateValues) => `
# Where \`ag\` commands, \`ag run\` and \`ag mcp\` find the server (AEGIS_BASE_URL / AEGIS_AUTH_TOKEN win).
client:
  baseUrl: http://127.0.0.1:${port}
${token ? '  # token: unset, so `ag` here sends server.authToken (above)\n' : '  # token: <an API key secret from `ag keys create`>\n'}${
  d.model ? `  model: ${JSON.stringify(d.model)}  # for sessions that name no model\n` : ''
}${d.name ? `  name: ${JSON.stringify(d.name)}  # for sessions that give no name\n` : ''}${
  d.template
    ? `  template: ${JSON.stringify(d.template)}  # session template of \`ag run\` / \`ag create\`\n`
    : ''
}`;

/** The bootstrap token line of a loopback template, when \`ag init --force\` asked for one. */
const tokenLines = (token: string | undefined) =>
  token
    ? `  # Bootstrap admin token (\`ag init --force\`): every request must carry it, also on loopback.
  # Create real keys with it (\`ag keys create --name alice --role operator\`); restart the server
  # after changing it.
  authToken: ${token}
`
    : '';

export const TEMPLATES: readonly ConfigTemplate[] = [
  {
    name: 'default',
    description: 'One person on this machine: loopback only, no token, asks before every change',
    render: (v) => `${header('default')}
server:
  host: 127.0.0.1
  port: ${v.port}
${workDirsLine(v.allowedWorkDirs)}${tokenLines(v.token)}  # stateDir: ~/.aegis                # SQLite database and state (AEGIS_STATE_DIR)
  logLevel: info
  permissionMode: default             # the agent asks before edits and commands
  # idleTimeoutMs: 3600000            # end sessions idle for an hour (0 = never)
  # pool: { size: 1 }                 # keep an agent process warm for faster starts
${clientBlock(v)}`,
  },
  {
    name: 'strict',
    description:
      'Careful local use: reads run freely, destructive commands and secrets are refused, the rest asks',
    render: (v) => `${header('strict')}
server:
  host: 127.0.0.1
  port: ${v.port}
${workDirsLine(v.allowedWorkDirs)}${tokenLines(v.token)}  permissionMode: default
  promptTimeoutMs: 600000             # cancel a turn after 10 minutes without agent activity
  idleTimeoutMs: 3600000
  # Permission rules, first match decides (deny | allow | ask); \`ag approve/reject\` answers "ask".
  policies:
    - name: no-secrets
      decision: deny
      pathGlob: '**/.env*'
    - name: no-destructive-shell
      decision: deny
      toolKind: execute
      commandPattern: '(^|[;&|\\s])(sudo|rm\\s+-[a-zA-Z]*[rf]|git\\s+push|git\\s+reset\\s+--hard|curl|wget|chmod|chown|dd)\\b'
    - name: reads-are-fine
      decision: allow
      toolKind: [read, search, think]
    - name: everything-else-asks
      decision: ask
  limits:
    sessionsPerKey: 4
${clientBlock(v)}`,
  },
  {
    name: 'ci',
    description:
      'Unattended CI jobs: edits accepted, only test/lint/build commands run, everything else denied',
    render: (v) => `${header('ci')}
server:
  host: 127.0.0.1
  port: ${v.port}
${workDirsLine(v.allowedWorkDirs)}${tokenLines(v.token)}  logLevel: warn
  dashboardEnabled: false
  permissionMode: acceptEdits         # file edits in the work folder need no answer
  promptTimeoutMs: 300000
  idleTimeoutMs: 900000
  # Nobody is there to answer, so nothing is left to "ask": allow a short list, deny the rest.
  policies:
    - name: no-secrets
      decision: deny
      pathGlob: '**/.env*'
    - name: reads
      decision: allow
      toolKind: [read, search, think]
    - name: test-lint-build
      decision: allow
      toolKind: execute
      commandPattern: '^(npm|pnpm|yarn|npx) (test|run (test|lint|build|typecheck))\\b'
    - name: deny-the-rest
      decision: deny
${clientBlock(v)}`,
  },
  {
    name: 'team',
    description:
      'A shared server for a team: listens on all interfaces, bootstrap admin token, per-key limits',
    secret: true,
    render: (values) => {
      const v = { ...values, token: values.token ?? randomBytes(32).toString('hex') };
      return `${header('team')}
# This file holds a secret (authToken): keep it out of version control (chmod 600 is set).
server:
  host: 0.0.0.0                       # reachable from the network: authentication is required
  port: ${v.port}
${workDirsLine(v.allowedWorkDirs)}  # Bootstrap admin token, generated by \`ag init\`. Use it once to create real keys:
  #   AEGIS_AUTH_TOKEN=<this token> ag keys create --name alice --role operator
  # then remove it (or keep it only for emergencies).
  authToken: ${v.token}
  permissionMode: default
  idleTimeoutMs: 7200000
  limits:
    requestsPerMinute: 600
    sessionsPerKey: 5
    sessionsGlobal: 40
  # webhooks:
  #   - url: https://hooks.example.internal/aegis
  #     secret: <at least 16 characters>
${clientBlock(v)}`;
    },
  },
];

export const templateNames = (): string[] => TEMPLATES.map((t) => t.name);

export function findTemplate(name: string): ConfigTemplate | undefined {
  return TEMPLATES.find((t) => t.name === name);
}
