/** A multinomial naive Bayes text classifier: counts in, calibrated class probabilities out. */

export interface LabelledFeatures {
  label: string;
  features: string[];
}

export interface NaiveBayesModel {
  labels: string[];
  /** Training messages per label, aligned with `labels`. */
  docs: number[];
  /** Feature → count per label (aligned with `labels`); features seen in fewer than `minDocs` messages are dropped. */
  counts: Record<string, number[]>;
  alpha: number;
  /** Softmax temperature fitted on cross-validated predictions: naive Bayes alone is overconfident. */
  temperature: number;
}

export interface TrainOptions {
  alpha?: number;
  minDocs?: number;
  temperature?: number;
}

export function trainNaiveBayes(samples: LabelledFeatures[], options: TrainOptions = {}): NaiveBayesModel {
  const labels = [...new Set(samples.map((sample) => sample.label))].sort();
  const docs = labels.map((label) => samples.filter((sample) => sample.label === label).length);
  const counts: Record<string, number[]> = {};
  const docFrequency = new Map<string, number>();
  for (const sample of samples) {
    const index = labels.indexOf(sample.label);
    for (const feature of sample.features) (counts[feature] ??= labels.map(() => 0))[index]++;
    for (const feature of new Set(sample.features)) docFrequency.set(feature, (docFrequency.get(feature) ?? 0) + 1);
  }
  const minDocs = options.minDocs ?? 1;
  for (const feature of Object.keys(counts)) if ((docFrequency.get(feature) ?? 0) < minDocs) delete counts[feature];
  return { labels, docs, counts, alpha: options.alpha ?? 0.3, temperature: options.temperature ?? 1 };
}

/** Log-likelihood per label, before the temperature. */
export function logScores(model: NaiveBayesModel, features: string[]): number[] {
  const { totals, vocabulary } = modelStats(model);
  const documents = model.docs.reduce((sum, count) => sum + count, 0);
  return model.labels.map((_label, index) => {
    let score = Math.log(model.docs[index] / documents);
    const denominator = Math.log(totals[index] + model.alpha * vocabulary);
    for (const feature of features) {
      const row = model.counts[feature];
      if (row) score += Math.log(row[index] + model.alpha) - denominator;
    }
    return score;
  });
}

export function softmax(scores: number[], temperature = 1): number[] {
  const scaled = scores.map((score) => score / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((score) => Math.exp(score - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

export function predictProbabilities(model: NaiveBayesModel, features: string[]): Record<string, number> {
  const probabilities = softmax(logScores(model, features), model.temperature);
  return Object.fromEntries(model.labels.map((label, index) => [label, probabilities[index]]));
}

const statsCache = new WeakMap<NaiveBayesModel, { totals: number[]; vocabulary: number }>();

/** Per-label feature totals and the vocabulary size, computed once per model. */
function modelStats(model: NaiveBayesModel): { totals: number[]; vocabulary: number } {
  let stats = statsCache.get(model);
  if (!stats) {
    const totals = model.labels.map(() => 0);
    const rows = Object.values(model.counts);
    for (const row of rows) row.forEach((count, index) => (totals[index] += count));
    stats = { totals, vocabulary: rows.length };
    statsCache.set(model, stats);
  }
  return stats;
}

/** The committed form: counts as sparse lines `feature<TAB>label:count,…`, small to diff and cheap for the compiler. */
export interface SerializedNaiveBayes {
  labels: string[];
  docs: number[];
  alpha: number;
  temperature: number;
  counts: string;
}

export function serializeModel(model: NaiveBayesModel): SerializedNaiveBayes {
  const lines = Object.keys(model.counts)
    .sort()
    .map((feature) => {
      const cells = model.counts[feature].flatMap((count, index) => (count > 0 ? [`${index}:${count}`] : []));
      return `${feature}\t${cells.join(',')}`;
    });
  return { labels: model.labels, docs: model.docs, alpha: model.alpha, temperature: model.temperature, counts: lines.join('\n') };
}

export function deserializeModel(data: SerializedNaiveBayes): NaiveBayesModel {
  const counts: Record<string, number[]> = {};
  for (const line of data.counts.split('\n')) {
    const [feature, cells] = line.split('\t');
    const row = data.labels.map(() => 0);
    for (const cell of cells.split(',')) {
      const [index, count] = cell.split(':').map(Number);
      row[index] = count;
    }
    counts[feature] = row;
  }
  return { labels: data.labels, docs: data.docs, alpha: data.alpha, temperature: data.temperature, counts };
}
