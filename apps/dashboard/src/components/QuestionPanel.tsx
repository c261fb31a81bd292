import type { AnswerQuestionRequest } from '@aegis/client';
import { useEffect, useRef, useState } from 'react';
import { t } from '../i18n/index.js';
import { focusUnlessTyping } from '../lib/focus.js';
import { fmtAgo } from '../lib/format.js';
import { type Answers, answerBody, choose, isChosen, type PendingQuestion } from '../lib/question.js';

/** A question the agent asked (status `asking`): options as buttons, free text where allowed. */
export function QuestionPanel({
  q,
  busy,
  onAnswer,
  onDismiss,
}: {
  q: PendingQuestion;
  busy: boolean;
  onAnswer: (body: AnswerQuestionRequest) => Promise<void>;
  onDismiss: () => void;
}) {
  const [answers, setAnswers] = useState<Answers>({});
  const [free, setFree] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    focusUnlessTyping(ref.current);
  }, []);
  const single = q.questions.length === 1 && !q.questions[0]!.multiSelect;
  const submit = (a: Answers, text = free) => {
    const r = answerBody(q, a, text);
    if (!r.ok) {
      setErr(r.error);
      return;
    }
    setErr(null);
    void onAnswer(r.body);
  };
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card permission question"
      aria-labelledby="q-title"
      role="alertdialog"
      data-testid="question"
    >
      <h2 id="q-title">{t('question.title')}</h2>
      {q.message && !q.questions.some((f) => f.question === q.message) ? (
        <p className="perm-what">{q.message}</p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit(answers);
        }}
        aria-label={t('question.form')}
      >
        {q.questions.map((f) => (
          <fieldset key={f.id} className="q-field">
            <legend>
              {f.header ? <span className="chip">{f.header}</span> : null} {f.question}
              {f.multiSelect ? <span className="muted small"> {t('question.chooseAny')}</span> : null}
            </legend>
            {f.options.length ? (
              <div className="q-options">
                {f.options.map((o) => (
                  <button
                    key={o.value}
                    type="button"
                    className={`btn ${isChosen(answers, f, o.value) ? 'btn-primary' : ''}`}
                    aria-pressed={f.multiSelect ? isChosen(answers, f, o.value) : undefined}
                    title={o.description ?? undefined}
                    disabled={busy}
                    onClick={() => {
                      const next = choose(answers, f, o.value);
                      setAnswers(next);
                      // One single-choice question: a click is the answer.
                      if (single) submit(next);
                    }}
                  >
                    {o.label}
                  </button>
                ))}
              </div>
            ) : null}
            {f.allowCustom ? (
              <label className="field">
                <span>{f.options.length ? t('question.own') : t('question.yours')}</span>
                <input
                  value={
                    typeof answers[f.id] === 'string' && !f.options.some((o) => o.value === answers[f.id])
                      ? (answers[f.id] as string)
                      : ''
                  }
                  disabled={busy}
                  onChange={(e) => setAnswers({ ...answers, [f.id]: e.target.value })}
                />
              </label>
            ) : null}
          </fieldset>
        ))}
        {q.questions.length === 0 ? (
          <label className="field">
            <span>{t('question.yours')}</span>
            <input value={free} disabled={busy} onChange={(e) => setFree(e.target.value)} />
          </label>
        ) : null}
        {err ? (
          <p className="form-error" role="alert">
            {err}
          </p>
        ) : null}
        <div className="perm-actions">
          {!single || q.questions[0]!.allowCustom ? (
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('question.answer')}
            </button>
          ) : null}
          <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={onDismiss}>
            {t('question.dismiss')}
          </button>
          <span className="muted small">{t('perm.asked', { ago: fmtAgo(q.askedAt) })}</span>
        </div>
      </form>
    </section>
  );
}
