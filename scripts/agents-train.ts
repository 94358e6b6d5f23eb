/**
 * Trains the intent classifier on test/fixtures/agents/training/ and writes
 * src/modules/agents/engine/classifier/intent-model.json. Prints k-fold accuracy,
 * per-intent precision/recall, a confusion matrix and a calibration table.
 * Never reads test/fixtures/agents/heldout/.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntentModelFile } from '../src/modules/agents/engine/classifier/intent-classifier';
import { FEATURES_VERSION, intentFeatures } from '../src/modules/agents/engine/classifier/intent-features';
import { accuracy, confusionMatrix, type Outcome, perLabelMetrics, seededShuffle } from '../src/modules/agents/engine/classifier/intent-metrics';
import { type LabelledFeatures, logScores, serializeModel, softmax, trainNaiveBayes } from '../src/modules/agents/engine/classifier/naive-bayes';
import { NaiveBayesIntentClassifier } from '../src/modules/agents/engine/classifier/intent-classifier';
import { AgentManager } from '../src/modules/agents/engine/agent-registry';
import { createDefaultAgents } from '../src/modules/agents/engine/default-agents';
import { buildAgentContext } from '../test/fixtures/agents/agent-context.factory';

const ROOT = join(__dirname, '..');
const TRAINING = join(ROOT, 'test/fixtures/agents/training/training-messages.json');
const OUTPUT = join(ROOT, 'src/modules/agents/engine/classifier/intent-model.json');
const FOLDS = 5;
const SEED = 22;
const ALPHA = 0.1;
const MIN_DOCS = 1;

interface Scored {
  label: string;
  scores: number[];
  labels: string[];
}

function crossValidate(samples: LabelledFeatures[]): Scored[] {
  const shuffled = seededShuffle(samples, SEED);
  const scored: Scored[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const test = shuffled.filter((_sample, index) => index % FOLDS === fold);
    const model = trainNaiveBayes(
      shuffled.filter((_sample, index) => index % FOLDS !== fold),
      { alpha: ALPHA, minDocs: MIN_DOCS },
    );
    for (const sample of test) scored.push({ label: sample.label, scores: logScores(model, sample.features), labels: model.labels });
  }
  return scored;
}

/** The temperature minimising the cross-validated negative log-likelihood (log-spaced grid). */
function fitTemperature(scored: Scored[]): number {
  let best = { temperature: 1, loss: Number.POSITIVE_INFINITY };
  for (let exponent = 0; exponent <= 60; exponent++) {
    const temperature = 10 ** (exponent / 20);
    const loss = scored.reduce((sum, item) => sum - Math.log(Math.max(1e-12, softmax(item.scores, temperature)[item.labels.indexOf(item.label)])), 0);
    if (loss < best.loss) best = { temperature, loss };
  }
  return Math.round(best.temperature * 100) / 100;
}

function calibrationTable(scored: Scored[], temperature: number): Array<Record<string, string | number>> {
  const bins = [0, 0.3, 0.5, 0.7, 0.9, 1.01];
  return bins.slice(0, -1).map((low, index) => {
    const inBin = scored
      .map((item) => {
        const probabilities = softmax(item.scores, temperature);
        const top = probabilities.indexOf(Math.max(...probabilities));
        return { confidence: probabilities[top], correct: item.labels[top] === item.label };
      })
      .filter((item) => item.confidence >= low && item.confidence < bins[index + 1]);
    const meanConfidence = inBin.reduce((sum, item) => sum + item.confidence, 0) / (inBin.length || 1);
    return { confidence: `${low}–${Math.min(1, bins[index + 1])}`, messages: inBin.length, meanConfidence: round(meanConfidence), accuracy: round(inBin.filter((item) => item.correct).length / (inBin.length || 1)) };
  });
}

/** Rules and classifier together, as the worker routes, each message by a model that never saw it (in business hours). */
async function crossValidateRouting(messages: Array<{ text: string; expected: string }>, temperature: number): Promise<Array<Outcome & { text: string }>> {
  const shuffled = seededShuffle(messages, SEED);
  const outcomes: Array<Outcome & { text: string }> = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = shuffled.filter((_message, index) => index % FOLDS !== fold).map((message) => ({ label: message.expected, features: intentFeatures(message.text) }));
    const classifier = new NaiveBayesIntentClassifier(trainNaiveBayes(train, { alpha: ALPHA, minDocs: MIN_DOCS, temperature }));
    const manager = new AgentManager({ agents: createDefaultAgents(), classifier });
    for (const message of shuffled.filter((_message, index) => index % FOLDS === fold)) {
      const result = await manager.route(buildAgentContext({ text: message.text }));
      outcomes.push({ text: message.text, expected: message.expected, predicted: result.intent === 'fallback' ? 'unrecognized' : result.intent });
    }
  }
  return outcomes;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function main(): Promise<void> {
  const raw = readFileSync(TRAINING, 'utf8');
  const messages = JSON.parse(raw) as Array<{ text: string; expected: string }>;
  const samples = messages.map((message) => ({ label: message.expected, features: intentFeatures(message.text) }));
  const scored = crossValidate(samples);
  const outcomes: Outcome[] = scored.map((item) => ({ expected: item.label, predicted: item.labels[item.scores.indexOf(Math.max(...item.scores))] }));
  const temperature = fitTemperature(scored);
  console.log(`${messages.length} messages, ${FOLDS}-fold cross-validated accuracy: ${round(accuracy(outcomes))}`);
  console.table(perLabelMetrics(outcomes));
  console.log('Confusion matrix (rows expected, columns predicted):');
  console.table(confusionMatrix(outcomes));
  console.log(`Calibration with temperature ${temperature}:`);
  console.table(calibrationTable(scored, temperature));
  const routed = await crossValidateRouting(messages, temperature);
  const misses = routed.filter((outcome) => outcome.expected !== outcome.predicted);
  console.log(`Routing (rules + classifier) ${FOLDS}-fold accuracy: ${round(accuracy(routed))}`);
  if (process.env.SHOW_MISSES) console.table(misses);
  const model = trainNaiveBayes(samples, { alpha: ALPHA, minDocs: MIN_DOCS, temperature });
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const file: IntentModelFile = { version: `nb-${FEATURES_VERSION}-${sha256.slice(0, 12)}`, featuresVersion: FEATURES_VERSION, trainedOn: { messages: messages.length, sha256 }, model: serializeModel(model) };
  writeFileSync(OUTPUT, `${JSON.stringify(file, null, 1)}\n`);
  console.log(`Wrote ${OUTPUT} (${file.version}, ${Object.keys(model.counts).length} features)`);
}

void main();
