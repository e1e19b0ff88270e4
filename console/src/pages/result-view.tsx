// One classification result: category, every alternative's confidence, the cascade trace, sentence sentiment,
// and the entities highlighted in the text.
import type { ClassificationResult } from '../types.ts';
import { Badge, ConfidenceBar, formatMs, formatUsd } from '../ui.tsx';

export function ResultView({ result, text }: { result: ClassificationResult; text?: string }) {
  return (
    <section class="result" aria-label="Classification result">
      <div class="headline">
        <div>
          <div class="hint">Category</div>
          <div class="category" data-testid="category">
            {result.category ?? 'unclassified'}
          </div>
        </div>
        <div>
          <div class="hint">Confidence</div>
          <div class="big">
            {result.confidence == null ? '—' : `${(result.confidence * 100).toFixed(1)}%`}
          </div>
        </div>
        {result.sentiment && (
          <div>
            <div class="hint">Sentiment</div>
            <div class="big">
              <Badge status={result.sentiment.label} /> {result.sentiment.score.toFixed(2)}
            </div>
          </div>
        )}
        <div>
          <div class="hint">Cost</div>
          <div class="big">{formatUsd(result.costUsd)}</div>
        </div>
      </div>
      {result.error && <p class="error">{result.error}</p>}
      <h3>Alternatives</h3>
      {ranked(result).map((alt) => (
        <ConfidenceBar key={alt.category} label={alt.category} value={alt.confidence} />
      ))}
      <h3>Cascade trace</h3>
      <TraceTable trace={result.trace} />
      {text && result.entities.length > 0 && (
        <>
          <h3>Entities</h3>
          <Highlighted text={text} entities={result.entities} />
        </>
      )}
      {result.sentiment && result.sentiment.sentences.length > 0 && (
        <>
          <h3>Sentences</h3>
          <ol class="sentences">
            {result.sentiment.sentences.map((sentence) => (
              <li key={sentence.start} class={`sentiment-${sentence.label}`}>
                <Badge status={sentence.label} /> <span class="score">{sentence.score.toFixed(2)}</span>{' '}
                {sentence.text}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** The chosen category and every alternative, most confident first. */
function ranked(result: ClassificationResult) {
  const all = [...result.alternatives];
  if (result.category && !all.some((alt) => alt.category === result.category)) {
    all.push({ category: result.category, confidence: result.confidence ?? 0 });
  }
  return all.sort((a, b) => b.confidence - a.confidence);
}

export function TraceTable({ trace }: { trace: ClassificationResult['trace'] }) {
  return (
    <table aria-label="Cascade trace">
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Provider</th>
          <th scope="col">Category</th>
          <th scope="col">Confidence</th>
          <th scope="col">Latency</th>
          <th scope="col">Tokens</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {trace.map((entry) => (
          <tr key={`${entry.stage}-${entry.type}`}>
            <td>{entry.stage}</td>
            <td>{entry.type}</td>
            <td>
              <Badge status={entry.status} />
              {entry.reason ? <div class="hint">{entry.reason}</div> : null}
            </td>
            <td>
              {entry.provider ?? '—'}
              {entry.model ? <div class="hint">{entry.model}</div> : null}
              {entry.cached ? <div class="hint">cached</div> : null}
            </td>
            <td>{entry.category ?? '—'}</td>
            <td>
              {entry.confidence == null ? '—' : entry.confidence.toFixed(3)}
              {entry.threshold == null ? null : <div class="hint">threshold {entry.threshold}</div>}
            </td>
            <td>{formatMs(entry.latencyMs)}</td>
            <td>
              {entry.tokensIn} / {entry.tokensOut}
            </td>
            <td>{formatUsd(entry.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The text with each entity marked (offsets are UTF-16 positions, as JavaScript strings count). */
function Highlighted({ text, entities }: { text: string; entities: ClassificationResult['entities'] }) {
  const parts = [];
  let at = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    if (entity.start < at) continue;
    parts.push(text.slice(at, entity.start));
    parts.push(
      <mark key={`${entity.start}-${entity.type}`} class={`entity entity-${entity.type}`} title={entity.type}>
        {text.slice(entity.start, entity.end)}
        <span class="entity-type">{entity.type}</span>
      </mark>,
    );
    at = entity.end;
  }
  parts.push(text.slice(at));
  return <p class="highlighted">{parts}</p>;
}
