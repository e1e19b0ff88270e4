// Classification of one text or document: POST /classification/enhanced, then the result with its trace.
import { useState } from 'preact/hooks';
import { invoke } from '../api.ts';
import { useDefinitionPicker } from '../definition-picker.tsx';
import { DocumentSelect } from '../document-select.tsx';
import { listDocuments } from '../documents.ts';
import { useAction, useLoad } from '../hooks.ts';
import type { ClassificationResult } from '../types.ts';
import { ErrorNote, Field } from '../ui.tsx';
import { ResultView } from './result-view.tsx';

export function ClassifyPage() {
  const documents = useLoad(() => listDocuments(), []);
  const [source, setSource] = useState<'text' | 'document'>('text');
  const [text, setText] = useState('');
  const [documentId, setDocumentId] = useState('');
  const { definition, picker } = useDefinitionPicker('classify');
  const action = useAction();
  const [result, setResult] = useState<{ result: ClassificationResult; text: string }>();

  const submit = (event: Event) => {
    event.preventDefault();
    const doc = documents.data?.find((candidate) => candidate.id === documentId);
    const body = source === 'text' ? { text, ...definition } : { documentId, ...definition };
    void action.run(async () => {
      const answer = await invoke<ClassificationResult>('classification/enhanced', { body });
      setResult({ result: answer, text: source === 'text' ? text : (doc?.content ?? '') });
    });
  };

  return (
    <>
      <h1>Classify</h1>
      <form onSubmit={submit} aria-label="Classify a text or document">
        <fieldset class="tabs">
          <legend>Source</legend>
          <label>
            <input
              type="radio"
              name="source"
              checked={source === 'text'}
              onChange={() => setSource('text')}
            />{' '}
            Paste text
          </label>
          <label>
            <input
              type="radio"
              name="source"
              checked={source === 'document'}
              onChange={() => setSource('document')}
            />{' '}
            Pick a document
          </label>
        </fieldset>
        {source === 'text' ? (
          <Field label="Text" id="classify-text">
            <textarea
              id="classify-text"
              rows={7}
              required
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </Field>
        ) : (
          <DocumentSelect
            id="classify-document"
            documents={documents}
            value={documentId}
            onChange={setDocumentId}
          />
        )}
        {picker}
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Classifying…' : 'Classify'}
        </button>
      </form>
      <ErrorNote error={action.error} />
      {result && <ResultView result={result.result} text={result.text} />}
    </>
  );
}
