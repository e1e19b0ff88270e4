// Extractive document analysis: sentences ranked by centrality (similarity of each sentence's vector to the
// whole document's) with a lead bonus; action items and risks picked by cue patterns.
import nlp from 'compromise/two';
import type { AnalysisResult } from '../types.ts';
import { centroid, contentTerms } from './classifier.ts';
import type { LocalModelData } from './model-data.ts';
import { type Span, sentences } from './tokenize.ts';

const MAX_SUMMARY_SENTENCES = 3;
const MAX_KEY_POINTS = 5;
const MAX_ITEMS = 10;

const ACTION_CUE =
  /\b(?:will|shall|need(?:s|ed)? to|have to|has to|must|should|ought to|let's|let us|to-?do|follow[- ]up|action(?: item)?s?:|next steps?:|assign(?:ed)? to|owner:|due (?:by|on)|deadline|by (?:monday|tuesday|wednesday|thursday|friday|tomorrow|eod|end of (?:day|week|month)))\b|^(?:please|kindly)\b/i;
const RISK_CUE =
  /\b(?:risks?|risky|concerns?|concerned|worr(?:y|ies|ied)|issues?|problems?|delay(?:s|ed)?|block(?:er|ers|ed|ing)|threats?|danger(?:ous)?|fail(?:s|ed|ure|ures)?|uncertain(?:ty)?|exposure|liabilit(?:y|ies)|vulnerab(?:le|ility|ilities)|outages?|breach(?:es)?|shortages?|shortfall|over budget|behind schedule|overdue|jeopardi[sz]e|lawsuits?|penalt(?:y|ies)|non-?compliance|warn(?:s|ed|ing)?|decline[sd]?|loss(?:es)?|bottleneck|dependency|dependencies|escalat(?:e|ed|ion))\b/i;

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, d) => sum + x * b[d]!, 0);

/** Sentences scored by centrality to the whole text, plus a small bonus for coming early. */
function rankSentences(data: LocalModelData, text: string): { span: Span; score: number }[] {
  const spans = sentences(text);
  const whole = centroid(data, contentTerms(data, text));
  return spans.map((span, i) => {
    const terms = contentTerms(data, span.text);
    const lengthFactor = Math.min(1, terms.ids.length / 5);
    const lead = 0.15 * (1 - i / Math.max(1, spans.length));
    return { span, score: dot(centroid(data, terms), whole) * lengthFactor + lead };
  });
}

function isImperative(sentence: string): boolean {
  return (nlp(sentence) as unknown as { has(match: string): boolean }).has('^#Imperative');
}

/** Summary, key points, action items and risks, all quoted from the text. */
export function analyseDocument(data: LocalModelData, text: string): AnalysisResult {
  const ranked = rankSentences(data, text);
  const best = [...ranked].sort((a, b) => b.score - a.score);
  const summaryCount = Math.min(MAX_SUMMARY_SENTENCES, Math.max(1, Math.round(ranked.length / 5)));
  const summary = best
    .slice(0, summaryCount)
    .sort((a, b) => a.span.start - b.span.start)
    .map((r) => r.span.text)
    .join(' ');
  const keyPoints = best
    .slice(0, MAX_KEY_POINTS)
    .sort((a, b) => a.span.start - b.span.start)
    .map((r) => r.span.text);
  const all = ranked.map((r) => r.span.text);
  const actionItems = all
    .filter((s) => ACTION_CUE.test(s) || (!s.endsWith('?') && isImperative(s)))
    .slice(0, MAX_ITEMS);
  const risks = all.filter((s) => RISK_CUE.test(s)).slice(0, MAX_ITEMS);
  return { summary, keyPoints, actionItems, risks };
}
