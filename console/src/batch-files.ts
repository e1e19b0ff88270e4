// Reading a batch from a file: JSON Lines (one {"text"} or {"documentId"} object per line, optional "key") or
// CSV with a header row naming a `text` or `documentId` column (and optionally `key`), quotes as RFC 4180.

export interface BatchItem {
  text?: string;
  documentId?: string;
  key?: string;
}

/** The items of a file, or an error naming the line that is wrong. */
export function parseBatchFile(name: string, content: string): BatchItem[] {
  const trimmed = content.trim();
  if (!trimmed) throw new Error('The file is empty');
  if (/\.jsonl?$/i.test(name) || trimmed.startsWith('{')) return parseJsonLines(trimmed);
  return parseCsv(trimmed);
}

function pick(record: Record<string, unknown>, line: number): BatchItem {
  const item: BatchItem = {};
  if (typeof record.text === 'string' && record.text.trim()) item.text = record.text;
  if (typeof record.documentId === 'string' && record.documentId) item.documentId = record.documentId;
  if (record.key !== undefined && record.key !== '') item.key = String(record.key);
  if (!item.text === !item.documentId) throw new Error(`Line ${line}: give either text or documentId`);
  return item;
}

function parseJsonLines(content: string): BatchItem[] {
  return content
    .split(/\r?\n/)
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim())
    .map(({ line, number }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`Line ${number}: not JSON`);
      }
      if (!value || typeof value !== 'object') throw new Error(`Line ${number}: not an object`);
      return pick(value as Record<string, unknown>, number);
    });
}

/** RFC 4180 fields: quoted fields may hold commas, newlines and doubled quotes. */
function csvRecords(content: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const ch = content[i]!;
    if (quoted) {
      if (ch === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && content[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  record.push(field);
  records.push(record);
  return records.filter((r) => r.some((value) => value.trim()));
}

function parseCsv(content: string): BatchItem[] {
  const [header, ...body] = csvRecords(content);
  const columns = (header ?? []).map((name) => name.trim());
  if (!columns.includes('text') && !columns.includes('documentId')) {
    throw new Error('The CSV header needs a "text" or "documentId" column');
  }
  return body.map((values, index) =>
    pick(Object.fromEntries(columns.map((column, at) => [column, values[at] ?? ''])), index + 2),
  );
}

const csvField = (value: unknown) => {
  const text = value == null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Results as CSV, one row per item. */
export function resultsCsv(
  items: {
    itemIndex: number | null;
    itemKey: string | null;
    status: string;
    category: string | null;
    confidence: number | null;
    error: string | null;
  }[],
): string {
  const lines = [['item', 'key', 'status', 'category', 'confidence', 'error'].join(',')];
  for (const item of items) {
    lines.push(
      [item.itemIndex, item.itemKey, item.status, item.category, item.confidence, item.error]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Starts a download of `content` in the browser. */
export function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
