// The approvals inbox: pending approvals waiting for the signed-in user, approved or rejected with a comment.
import { useState } from 'preact/hooks';
import { invoke } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import type { Approval, Page } from '../types.ts';
import { ErrorNote, Field, formatTime, States } from '../ui.tsx';

export function ApprovalsPage() {
  const inbox = useLoad(() => invoke<Page<Approval>>('workflows/approvals?limit=100'), [], {
    pollMs: 3000,
    keepPolling: () => true,
  });
  return (
    <>
      <h1>Approvals</h1>
      <States
        data={inbox.data}
        error={inbox.error}
        empty={(page) => page.items.length === 0}
        emptyText="Nothing waits for your approval."
      >
        {(page) => (
          <ul class="inbox">
            {page.items.map((approval) => (
              <ApprovalCard key={approval.id} approval={approval} onDecided={() => void inbox.reload()} />
            ))}
          </ul>
        )}
      </States>
    </>
  );
}

function ApprovalCard({ approval, onDecided }: { approval: Approval; onDecided: () => void }) {
  const [comment, setComment] = useState('');
  const action = useAction();
  const decide = (decision: 'approve' | 'reject') =>
    void action.run(async () => {
      await invoke(`workflows/approvals/${approval.id}/decision`, {
        body: { decision, comment: comment || undefined },
      });
      onDecided();
    });
  const id = `comment-${approval.id}`;
  return (
    <li class="card" aria-label={`Approval: ${approval.workflowName ?? 'workflow'} · ${approval.stepId}`}>
      <h2>
        {approval.workflowName ?? 'Workflow'} · step {approval.stepId}
      </h2>
      {approval.instructions && <p>{approval.instructions}</p>}
      <p class="hint">
        Asked {formatTime(approval.createdAt)}
        {approval.expiresAt ? ` · expires ${formatTime(approval.expiresAt)}` : ''} ·{' '}
        <a href={`#/executions/${approval.executionId}`}>execution</a>
      </p>
      <Field label="Comment" id={id}>
        <textarea id={id} rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="button" disabled={action.busy} onClick={() => decide('approve')}>
          Approve
        </button>
        <button type="button" class="danger" disabled={action.busy} onClick={() => decide('reject')}>
          Reject
        </button>
      </div>
      <ErrorNote error={action.error} />
    </li>
  );
}
