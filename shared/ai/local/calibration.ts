// Turning scores into probabilities, and measuring how well those probabilities are calibrated.

/** Numerically stable softmax. */
export function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export interface Prediction {
  confidence: number;
  correct: boolean;
}

/** Expected calibration error: |accuracy - confidence| per equal-width bin, weighted by bin size. */
export function expectedCalibrationError(predictions: Prediction[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (const p of predictions) {
    const b = Math.min(bins - 1, Math.floor(p.confidence * bins));
    count[b]!++;
    confidence[b]! += p.confidence;
    if (p.correct) correct[b]!++;
  }
  let error = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b]! > 0) error += Math.abs(correct[b]! - confidence[b]!) / predictions.length;
  }
  return error;
}

/** Negative log-likelihood of the true classes under temperature-scaled softmax of raw scores. */
function negativeLogLikelihood(rows: { scores: number[]; truth: number }[], temperature: number): number {
  let total = 0;
  for (const { scores, truth } of rows) {
    const p = softmax(scores.map((s) => s / temperature))[truth]!;
    total -= Math.log(Math.max(p, 1e-12));
  }
  return total / rows.length;
}

/** The temperature in [lo, hi] minimising negative log-likelihood (golden-section search on log T). */
export function fitTemperature(rows: { scores: number[]; truth: number }[], lo = 1e-3, hi = 10): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let i = 0; i < 80; i++) {
    const c = b - phi * (b - a);
    const d = a + phi * (b - a);
    if (negativeLogLikelihood(rows, Math.exp(c)) < negativeLogLikelihood(rows, Math.exp(d))) b = d;
    else a = c;
  }
  return Math.exp((a + b) / 2);
}
