// A labelled select of the signed-in user's documents (classify one, run a workflow on one).

import { documentLabel } from './documents.ts';
import type { Loaded } from './hooks.ts';
import type { DocumentRow } from './types.ts';
import { Field } from './ui.tsx';

export function DocumentSelect(props: {
  id: string;
  documents: Loaded<DocumentRow[]>;
  value: string;
  onChange: (documentId: string) => void;
}) {
  const { documents } = props;
  return (
    <Field
      label="Document"
      id={props.id}
      error={documents.error?.message}
      hint={documents.data?.length === 0 ? 'You have no documents yet.' : undefined}
    >
      <select
        id={props.id}
        required
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="">{documents.loading ? 'Loading…' : 'Choose a document'}</option>
        {documents.data?.map((doc) => (
          <option key={doc.id} value={doc.id}>
            {documentLabel(doc)}
          </option>
        ))}
      </select>
    </Field>
  );
}
