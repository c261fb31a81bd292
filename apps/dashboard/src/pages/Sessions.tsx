import type { PermissionMode, SessionStatus, Template } from '@aegis/client';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage, listAllSessions, useCluster } from '../api.js';
import { Empty, ErrorState, TruncatedChip } from '../components/bits.js';
import { SessionsTable } from '../components/SessionsTable.js';
import { useToast } from '../components/Toasts.js';
import { t, tp } from '../i18n/index.js';
import { takeSearchFocusRequest } from '../lib/focus.js';
import {
  ALL_STATES,
  distinctWorkDirs,
  filterSessions,
  type SessionFilter,
  sessionName,
  sessionsCsv,
  shortPath,
  statusLabel,
} from '../lib/format.js';
import { showsNodes } from '../lib/nodes.js';
import { href, navigate } from '../lib/router.js';
import { usePoll } from '../lib/usePoll.js';

const MODES: PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto'];

export function Sessions() {
  const { data, error, loading, refresh } = usePoll(listAllSessions, 3000);
  const [state, setState] = useState<string>('all');
  const [text, setText] = useState('');
  const [workDir, setWorkDir] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const cluster = useCluster();

  useEffect(() => {
    const focus = () => {
      if (takeSearchFocusRequest()) search.current?.focus();
    };
    focus(); // a request made before this page mounted (Ctrl+K from another page)
    window.addEventListener('aegis:focus-search', focus);
    return () => window.removeEventListener('aegis:focus-search', focus);
  }, []);

  const rows = useMemo(() => {
    const filter: SessionFilter = {
      states: state === 'all' ? 'all' : state === 'needsHuman' ? 'needsHuman' : [state as SessionStatus],
      text,
      ...(workDir ? { workDir } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    };
    return filterSessions(data?.sessions ?? [], filter);
  }, [data, state, text, workDir, from, to]);
  const workDirs = useMemo(() => distinctWorkDirs(data?.sessions ?? []), [data]);
  const withNode = showsNodes(cluster.clustered, data?.sessions ?? []);

  const exportCsv = () => {
    const blob = new Blob([sessionsCsv(rows)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `aegis-sessions-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <>
      <div className="page-head">
        <h1>{t('nav.sessions')}</h1>
        {error && data ? (
          <span className="chip tone-bad" role="status">
            {t('common.refreshFailed')}
          </span>
        ) : null}
        {data?.truncated ? <TruncatedChip shown={data.sessions.length} total={data.total} /> : null}
      </div>

      <CreateSession onCreated={refresh} />

      <section className="card" aria-labelledby="list-title">
        <h2 id="list-title" className="sr-only">
          {t('sessions.list')}
        </h2>
        <form className="filters" aria-label={t('sessions.filter')} onSubmit={(e) => e.preventDefault()}>
          <label className="field grow">
            <span>{t('sessions.search')}</span>
            <input
              ref={search}
              type="search"
              placeholder={t('sessions.searchPlaceholder')}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('sessions.state')}</span>
            <select value={state} onChange={(e) => setState(e.target.value)}>
              <option value="all">{t('sessions.allStates')}</option>
              <option value="needsHuman">{t('sessions.needsHuman')}</option>
              {ALL_STATES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('sessions.workDir')}</span>
            <select name="workDir" value={workDir} onChange={(e) => setWorkDir(e.target.value)}>
              <option value="">{t('sessions.allWorkDirs')}</option>
              {workDir && !workDirs.includes(workDir) ? (
                <option value={workDir}>{shortPath(workDir, 3)}</option>
              ) : null}
              {workDirs.map((d) => (
                <option key={d} value={d} title={d}>
                  {shortPath(d, 3)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('sessions.createdFrom')}</span>
            <input
              type="date"
              name="from"
              value={from}
              max={to || undefined}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('sessions.createdTo')}</span>
            <input
              type="date"
              name="to"
              value={to}
              min={from || undefined}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button type="button" className="btn" onClick={exportCsv} disabled={rows.length === 0}>
            {t('sessions.exportCsv')}
          </button>
        </form>

        {error && !data ? (
          <ErrorState error={error} onRetry={refresh} />
        ) : loading && !data ? (
          <p className="muted">{t('common.loading')}</p>
        ) : rows.length === 0 ? (
          (data?.sessions.length ?? 0) === 0 ? (
            <Empty title={t('common.noSessionsYet')}>{t('sessions.startOne')}</Empty>
          ) : (
            <Empty title={t('sessions.noMatch')} />
          )
        ) : (
          <SessionsTable
            rows={rows}
            total={data?.total ?? rows.length}
            withNode={withNode}
            self={cluster.self}
          />
        )}
      </section>
    </>
  );
}

const WORKDIR_KEY = 'aegis.lastWorkDir';

function CreateSession({ onCreated }: { onCreated: () => void }) {
  const toast = useToast();
  const [workDir, setWorkDir] = useState(() => localStorage.getItem(WORKDIR_KEY) ?? '');
  const [name, setName] = useState('');
  const [prompt, setPrompt] = useState('');
  const [mode, setMode] = useState<PermissionMode>('default');
  const [agent, setAgent] = useState('');
  const [agents, setAgents] = useState<string[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [vars, setVars] = useState<Record<string, string>>({});
  const [modeTouched, setModeTouched] = useState(false);
  const [fresh, setFresh] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  useEffect(() => {
    api()
      .getHealth()
      .then((h) => setAgents(h.agents ?? []))
      .catch(() => {});
    api()
      .listTemplates()
      .then((r) => setTemplates(r.templates))
      .catch(() => {});
  }, []);
  const template = templates.find((x) => x.id === templateId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    try {
      const res = await api().createSession({
        workDir: workDir.trim(),
        // With a template, its permission mode applies unless one was picked here.
        ...(!template || modeTouched ? { permissionMode: mode } : {}),
        ...(template ? { templateId: template.id } : {}),
        // Blank variables are left out so `{{name|default}}` placeholders keep their default.
        ...(template?.variables.some((v) => vars[v]?.trim())
          ? {
              variables: Object.fromEntries(
                template.variables.filter((v) => vars[v]?.trim()).map((v) => [v, vars[v]!]),
              ),
            }
          : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(prompt.trim() ? { prompt } : {}),
        ...(agent ? { agent } : {}),
        ...(fresh ? { reuse: false } : {}),
      });
      localStorage.setItem(WORKDIR_KEY, workDir.trim());
      if (res.reused) {
        // The agent keeps that session's earlier conversation as context: say so, and the way out.
        const turns = res.session.turns - (res.promptDelivery?.delivered ? 1 : 0);
        toast(tp('sessions.reused', turns, { name: sessionName(res.session) }), 'info');
      } else toast(t('sessions.created', { name: sessionName(res.session) }), 'ok');
      setPrompt('');
      setName('');
      onCreated();
      navigate(href.session(res.session.id));
    } catch (error) {
      // Said once, in the form (role=alert), not again in a toast.
      setErr(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card create" open>
      <summary>
        <h2>{t('sessions.new')}</h2>
      </summary>
      <form onSubmit={submit} aria-label={t('sessions.createForm')} className="create-form">
        <label className="field">
          <span>{t('sessions.workingDirectory')}</span>
          <input
            name="workDir"
            required
            className="mono"
            placeholder={t('sessions.workDirPlaceholder')}
            value={workDir}
            onChange={(e) => setWorkDir(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('sessions.nameOptional')}</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('sessions.permissionMode')}</span>
          <select
            name="permissionMode"
            value={mode}
            onChange={(e) => {
              setMode(e.target.value as PermissionMode);
              setModeTouched(true);
            }}
          >
            {MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        {agents.length > 1 ? (
          <label className="field">
            <span>{t('sessions.agent')}</span>
            <select name="agent" value={agent} onChange={(e) => setAgent(e.target.value)}>
              <option value="">{t('sessions.serverDefault')}</option>
              {agents.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {templates.length ? (
          <label className="field">
            <span>{t('sessions.template')}</span>
            <select
              name="template"
              value={templateId}
              onChange={(e) => {
                setTemplateId(e.target.value);
                setVars({});
                const picked = templates.find((x) => x.id === e.target.value);
                if (picked?.permissionMode && !modeTouched) setMode(picked.permissionMode);
              }}
            >
              <option value="">{t('sessions.noTemplate')}</option>
              {templates.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.name}
                  {tpl.builtIn ? ` ${t('sessions.builtIn')}` : ''}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {template ? (
          <div className="span-all template-info" data-testid="template-info">
            <p className="muted small">
              {template.description ?? t('sessions.noDescription')}
              {template.prompt ? ` ${t('sessions.templatePrompt')}` : ''}
            </p>
            {template.variables.map((v) => (
              <label key={v} className="field">
                <span>
                  <code>{`{{${v}}}`}</code>
                </span>
                <input
                  name={`var-${v}`}
                  value={vars[v] ?? ''}
                  onChange={(e) => setVars({ ...vars, [v]: e.target.value })}
                />
              </label>
            ))}
          </div>
        ) : null}
        <label className="check span-all">
          <input type="checkbox" name="fresh" checked={fresh} onChange={(e) => setFresh(e.target.checked)} />
          <span>
            {t('sessions.fresh')} <span className="muted small">{t('sessions.freshHelp')}</span>
          </span>
        </label>
        <label className="field span-all">
          <span>{t('sessions.promptOptional')}</span>
          <textarea name="prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </label>
        {err ? (
          <p className="form-error span-all" role="alert">
            {err}
          </p>
        ) : null}
        <div className="span-all">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.starting') : t('sessions.start')}
          </button>
        </div>
      </form>
    </details>
  );
}
