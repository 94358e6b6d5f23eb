/** Accuracy, per-label precision/recall and a confusion matrix, for the training script and the held-out test. */

export interface Outcome {
  expected: string;
  predicted: string;
}

export interface LabelMetrics {
  label: string;
  support: number;
  precision: number;
  recall: number;
}

export function accuracy(outcomes: Outcome[]): number {
  return outcomes.length === 0 ? 0 : outcomes.filter((outcome) => outcome.expected === outcome.predicted).length / outcomes.length;
}

export function perLabelMetrics(outcomes: Outcome[]): LabelMetrics[] {
  const labels = [...new Set(outcomes.map((outcome) => outcome.expected))].sort();
  return labels.map((label) => {
    const truePositives = outcomes.filter((outcome) => outcome.expected === label && outcome.predicted === label).length;
    const predicted = outcomes.filter((outcome) => outcome.predicted === label).length;
    const support = outcomes.filter((outcome) => outcome.expected === label).length;
    return { label, support, precision: round3(predicted ? truePositives / predicted : 0), recall: round3(truePositives / support) };
  });
}

/** Rows: expected; columns: predicted. */
export function confusionMatrix(outcomes: Outcome[]): Record<string, Record<string, number>> {
  const labels = [...new Set(outcomes.flatMap((outcome) => [outcome.expected, outcome.predicted]))].sort();
  const matrix: Record<string, Record<string, number>> = {};
  for (const row of labels) matrix[row] = Object.fromEntries(labels.map((column) => [column, 0]));
  for (const outcome of outcomes) matrix[outcome.expected][outcome.predicted]++;
  return matrix;
}

/** Deterministic shuffle (mulberry32), so k-fold splits are reproducible. */
export function seededShuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
