// The list of versioned definitions (document workflows, classification workflows): a link to create one, the
// loading, error and empty states, and a table whose name column opens the editor.
import type { ComponentChildren } from 'preact';
import type { Loaded } from './hooks.ts';
import type { Page } from './types.ts';
import { Badge, Field, formatTime, States } from './ui.tsx';

interface Listed {
  id: string;
  name: string;
  version: number;
  isActive: boolean;
  updatedAt: string;
}

export function DefinitionList<T extends Listed>(props: {
  /** The route of the list: `#/<route>/new` creates, `#/<route>/<id>` edits. */
  route: string;
  label: string;
  emptyText: string;
  list: Loaded<Page<T>>;
  /** The columns between the name and the version. */
  columns: { header: string; cell: (item: T) => ComponentChildren }[];
  /** Shown between the "New" link and the list (an open editor). */
  children?: ComponentChildren;
}) {
  return (
    <>
      <p>
        <a class="button" href={`#/${props.route}/new`}>
          New workflow
        </a>
      </p>
      {props.children}
      <States
        data={props.list.data}
        error={props.list.error}
        empty={(page) => page.items.length === 0}
        emptyText={props.emptyText}
      >
        {(page) => (
          <table aria-label={props.label}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {props.columns.map((column) => (
                  <th key={column.header} scope="col">
                    {column.header}
                  </th>
                ))}
                <th scope="col">Version</th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <a href={`#/${props.route}/${item.id}`}>{item.name}</a>
                  </td>
                  {props.columns.map((column) => (
                    <td key={column.header}>{column.cell(item)}</td>
                  ))}
                  <td>v{item.version}</td>
                  <td>
                    <Badge status={item.isActive ? 'active' : 'inactive'} />
                  </td>
                  <td>{formatTime(item.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </States>
    </>
  );
}

/** The name and description of a definition being edited; the API's issues for `name` show under the name. */
export function NameFields(props: {
  idPrefix: string;
  name: string;
  description: string;
  onName: (name: string) => void;
  onDescription: (description: string) => void;
  nameError?: string;
}) {
  const { idPrefix } = props;
  return (
    <div class="row">
      <Field label="Workflow name" id={`${idPrefix}-name`} error={props.nameError}>
        <input
          id={`${idPrefix}-name`}
          required
          value={props.name}
          onInput={(e) => props.onName(e.currentTarget.value)}
        />
      </Field>
      <Field label="Description" id={`${idPrefix}-description`}>
        <input
          id={`${idPrefix}-description`}
          value={props.description}
          onInput={(e) => props.onDescription(e.currentTarget.value)}
        />
      </Field>
    </div>
  );
}
