'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { ImportDto } from '@/lib/data/imports';
import type { RecordKind } from '@/lib/validation/records';
import { formatCount } from '@/lib/format';
import { finishCsvScan, newCsvScan, scanCsvChunk } from './csv-scan';
import { KIND_LABELS } from './labels';
import styles from './import.module.css';

/**
 * The browser side of an import: read the file in slices, send them as raw byte chunks (a few
 * MB per request, several at once, each retried), then ask the server to check the whole file
 * and to apply it in one transaction, showing each step's progress as the server streams it.
 */
type Phase = 'idle' | 'reading' | 'uploading' | 'validating' | 'applying' | 'done' | 'rejected' | 'cancelled' | 'failed';

const STEPS: Array<{ phase: Phase; label: string }> = [
  { phase: 'reading', label: 'Read' },
  { phase: 'uploading', label: 'Upload' },
  { phase: 'validating', label: 'Check every row' },
  { phase: 'applying', label: 'Save in one transaction' },
];

const PHASE_LABELS: Partial<Record<Phase, string>> = {
  reading: 'Reading the file',
  uploading: 'Uploading',
  validating: 'Checking every row',
  applying: 'Saving',
};

const PARALLEL_UPLOADS = 3;
const ATTEMPTS = 4;
const nf = { format: formatCount };

interface Progress {
  phase: Phase;
  done: number;
  total: number;
}

class StepError extends Error {}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
  return body?.message ?? body?.error ?? `The server answered ${response.status} ${response.statusText}.`;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request retried on network failures and server errors (never on a 4xx: that would fail again). */
async function withRetries(send: () => Promise<Response>, signal: AbortSignal): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await send();
      if (response.status < 500 || attempt >= ATTEMPTS) return response;
    } catch (error) {
      if (signal.aborted || attempt >= ATTEMPTS) throw error;
    }
    await pause(500 * 2 ** attempt);
  }
}

/** POSTs a step and reads its newline-delimited JSON until the result. */
async function runStep(url: string, signal: AbortSignal, onRow: (row: number) => void): Promise<ImportDto> {
  const response = await fetch(url, { method: 'POST', signal });
  if (!response.ok || !response.body) throw new StepError(await errorMessage(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      const event = JSON.parse(line) as { type: string; row?: number; import?: ImportDto; error?: string };
      if (event.type === 'progress') onRow(event.row ?? 0);
      else if (event.type === 'result') return event.import!;
      else if (event.type === 'error') throw new StepError(event.error ?? 'The step failed.');
    }
  }
  throw new StepError('The connection closed before the server finished. Try again: nothing is applied twice.');
}

export function ImportPanel({
  columns,
  required,
  chunkBytes,
  initialKind = 'customers',
}: {
  columns: Record<RecordKind, readonly string[]>;
  required: Record<RecordKind, readonly string[]>;
  chunkBytes: number;
  initialKind?: RecordKind;
}) {
  const router = useRouter();
  const [kind, setKind] = useState<RecordKind>(initialKind);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress>({ phase: 'idle', done: 0, total: 0 });
  const [result, setResult] = useState<ImportDto | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const running = useRef<{ controller: AbortController; id: string | null } | null>(null);
  const isRunning = ['reading', 'uploading', 'validating', 'applying'].includes(progress.phase);

  async function start() {
    if (!file) {
      setFieldError('Choose a CSV file to import.');
      return;
    }
    setFieldError(null);
    setMessage(null);
    setResult(null);
    const controller = new AbortController();
    const { signal } = controller;
    running.current = { controller, id: null };
    const chunkCount = Math.max(1, Math.ceil(file.size / chunkBytes));
    const slice = (i: number) => file.slice(i * chunkBytes, Math.min(file.size, (i + 1) * chunkBytes));

    try {
      // 1. Count the rows, so every later step can show "n of total".
      setProgress({ phase: 'reading', done: 0, total: file.size });
      const scan = newCsvScan();
      const rowsInChunk: number[] = [];
      for (let i = 0; i < chunkCount; i++) {
        if (signal.aborted) return;
        rowsInChunk.push(scanCsvChunk(new Uint8Array(await slice(i).arrayBuffer()), scan));
        setProgress({ phase: 'reading', done: Math.min(file.size, (i + 1) * chunkBytes), total: file.size });
      }
      const lastRows = finishCsvScan(scan) - scan.records;
      rowsInChunk[chunkCount - 1] += lastRows;
      const total = Math.max(0, finishCsvScan(scan) - 1);

      // 2. Announce the import, then send the chunks, a few at a time.
      const created = await fetch('/api/v1/imports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind, fileName: file.name, size: file.size, chunks: chunkCount }),
        signal,
      });
      if (!created.ok) throw new StepError(await errorMessage(created));
      const { id } = (await created.json()) as ImportDto;
      running.current.id = id;

      let uploadedRows = 0;
      setProgress({ phase: 'uploading', done: 0, total });
      let next = 0;
      const worker = async () => {
        while (next < chunkCount && !signal.aborted) {
          const index = next++;
          const response = await withRetries(
            () =>
              fetch(`/api/v1/imports/${id}/chunks/${index}`, {
                method: 'PUT',
                headers: { 'Content-Type': 'application/octet-stream' },
                body: slice(index),
                signal,
              }),
            signal,
          );
          if (!response.ok) throw new StepError(await errorMessage(response));
          uploadedRows += rowsInChunk[index];
          setProgress({ phase: 'uploading', done: Math.min(uploadedRows, total), total });
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, chunkCount) }, worker));
      if (signal.aborted) return;

      // 3. The server checks every row of the whole file.
      setProgress({ phase: 'validating', done: 0, total });
      const toDone = (row: number) => Math.min(total, Math.max(0, row - 1));
      const checked = await runStep(`/api/v1/imports/${id}/validate`, signal, (row) =>
        setProgress({ phase: 'validating', done: toDone(row), total }),
      );
      if (checked.state === 'rejected') {
        setResult(checked);
        setProgress({ phase: 'rejected', done: 0, total });
        return;
      }

      // 4. …and applies it in one transaction.
      setProgress({ phase: 'applying', done: 0, total: checked.checkedRecords ?? total });
      const applied = await runStep(`/api/v1/imports/${id}/apply`, signal, (row) =>
        setProgress({ phase: 'applying', done: toDone(row), total: checked.checkedRecords ?? total }),
      );
      setResult(applied);
      const rows = applied.result?.rows ?? 0;
      setProgress({ phase: applied.state === 'applied' ? 'done' : 'rejected', done: rows, total: rows });
    } catch (error) {
      if (signal.aborted) return;
      setProgress((p) => ({ ...p, phase: 'failed' }));
      setMessage(
        error instanceof StepError
          ? error.message
          : 'The connection to the server failed. Nothing was saved unless the summary says so; try again.',
      );
    } finally {
      if (running.current?.controller === controller) running.current = null;
      router.refresh();
    }
  }

  async function cancel() {
    const current = running.current;
    if (!current) return;
    current.controller.abort();
    running.current = null;
    setProgress((p) => ({ ...p, phase: 'cancelled' }));
    setMessage('Cancelling…');
    if (current.id) {
      const url = `/api/v1/imports/${current.id}`;
      const response = await fetch(url, { method: 'DELETE' }).catch(() => null);
      // 409: it was applied before the cancel arrived; ask what happened rather than guess.
      const answer = response?.ok ? response : response?.status === 409 ? await fetch(url).catch(() => null) : null;
      const body = answer?.ok ? ((await answer.json()) as ImportDto) : null;
      if (body?.state === 'applied') {
        setResult(body);
        setProgress({ phase: 'done', done: body.result?.rows ?? 0, total: body.result?.rows ?? 0 });
        setMessage('The import had already been saved before it could be cancelled.');
      } else if (body?.state === 'cancelled') {
        setMessage('Cancelled. Nothing was imported.');
      } else {
        setMessage(response ? await errorMessage(response) : 'The cancel did not reach the server; nothing is applied until the last step finishes.');
      }
    } else {
      setMessage('Cancelled. Nothing was imported.');
    }
    router.refresh();
  }

  const stepIndex = STEPS.findIndex((s) => s.phase === progress.phase);
  const unit = progress.phase === 'reading' ? 'bytes' : 'rows';
  const percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;

  return (
    <section className="card" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a CSV file</h2>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
        noValidate
      >
        <fieldset className={styles.choices} disabled={isRunning}>
          <legend>What the file holds</legend>
          {(Object.keys(KIND_LABELS) as RecordKind[]).map((k) => (
            <label key={k} className={styles.choice}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {KIND_LABELS[k]}
            </label>
          ))}
        </fieldset>
        <p className={styles.columns}>
          Columns: {columns[kind].map((c) => (required[kind].includes(c) ? `${c}*` : c)).join(', ')}{' '}
          <span className="muted">(* required; header names in any order)</span>
        </p>
        <label className="field">
          <span>CSV file (UTF-8, up to a million rows)</span>
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            disabled={isRunning}
            aria-describedby="import-file-error"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </label>
        <div id="import-file-error" className="form-error" aria-live="polite">
          {fieldError}
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={isRunning}>
            {isRunning ? 'Importing…' : 'Import'}
          </button>
          {isRunning && (
            <button type="button" className="button" onClick={() => void cancel()}>
              Cancel
            </button>
          )}
        </div>
      </form>

      {progress.phase !== 'idle' && (
        <div className={styles.progress} data-testid="import-progress" data-phase={progress.phase} data-done={progress.done} data-total={progress.total}>
          <ol className={styles.steps} aria-label="Steps">
            {STEPS.map((step, i) => (
              <li
                key={step.phase}
                className={
                  progress.phase === 'done' || (stepIndex >= 0 && i < stepIndex)
                    ? styles.stepDone
                    : i === stepIndex
                      ? styles.stepCurrent
                      : undefined
                }
              >
                {i + 1}. {step.label}
              </li>
            ))}
          </ol>
          {isRunning && (
            <>
              <div className={styles.progressHead}>
                <span className={styles.phase}>{PHASE_LABELS[progress.phase]}</span>
                <span>
                  {nf.format(progress.done)} of {nf.format(progress.total)} {unit} · {percent}%
                </span>
              </div>
              <progress
                className={styles.bar}
                max={Math.max(progress.total, 1)}
                value={progress.done}
                aria-label={`${PHASE_LABELS[progress.phase]}: ${nf.format(progress.done)} of ${nf.format(progress.total)} ${unit}`}
              />
            </>
          )}
        </div>
      )}

      <div aria-live="polite" role="status" data-testid="import-status">
        {progress.phase === 'done' && result?.result && (
          <div className={styles.stack} data-testid="import-summary">
            <p className="success-text">
              Imported {nf.format(result.result.rows)} {KIND_LABELS[result.kind].toLowerCase()} from {result.fileName}.
            </p>
            <dl className={styles.summary}>
              <div>
                <dt>Added</dt>
                <dd data-testid="summary-added">{nf.format(result.result.added)}</dd>
              </div>
              <div>
                <dt>Changed</dt>
                <dd data-testid="summary-changed">{nf.format(result.result.changed)}</dd>
              </div>
              <div>
                <dt>Unchanged</dt>
                <dd data-testid="summary-unchanged">{nf.format(result.result.unchanged)}</dd>
              </div>
            </dl>
          </div>
        )}
        {(progress.phase === 'failed' || progress.phase === 'cancelled') && message && (
          <p className={progress.phase === 'failed' ? 'error-text' : undefined}>{message}</p>
        )}
        {progress.phase === 'done' && message && <p>{message}</p>}
      </div>

      {progress.phase === 'rejected' && result && <ImportProblems result={result} />}
    </section>
  );
}

function ImportProblems({ result }: { result: ImportDto }) {
  const count = result.problems.length + result.moreProblems;
  return (
    <div className={styles.stack} data-testid="import-problems">
      <p className="error-text">
        {result.fileName} was not imported; nothing was changed. {nf.format(count)} {count === 1 ? 'problem' : 'problems'} to fix:
      </p>
      <p style={{ margin: 0 }}>
        <a href={`/api/v1/imports/${result.id}/problems`} download>
          Download the problems as CSV
        </a>
      </p>
      <div className={styles.problemsWrap}>
        <table className={`data-table ${styles.compactTable}`}>
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.problems.map((p, i) => (
              <tr key={i}>
                <td className="num">{p.row}</td>
                <td>{p.column ?? '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.moreProblems > 0 && <p className="muted">… and {nf.format(result.moreProblems)} more not listed.</p>}
    </div>
  );
}
